//! Which root module a changed file belongs to. pre-commit passes file names; a file in a
//! local child module (`modules/cis/main.tf`) is judged through the root that calls it
//! (`source = "./modules/cis"`), with the inputs that root gives it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::read::{MAX_FILE_BYTES, Origin, read_text};

static SOURCE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?m)^\s*"?source"?\s*[=:]\s*"(\.\.?/[^"]*)""#).ok());

/// Maps each module directory under `tree` to the directories whose `.tf` files call it
/// with a local `source`.
fn local_calls(tree: &Path) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut calls: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let Some(source) = SOURCE.as_ref() else {
        return calls;
    };
    let walker = walkdir::WalkDir::new(tree)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !name.starts_with('.')
        });
    for entry in walker.flatten() {
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || !(name.ends_with(".tf") || name.ends_with(".tf.json")) {
            continue;
        }
        let Ok(text) = read_text(entry.path(), Origin::Tree, MAX_FILE_BYTES) else {
            continue;
        };
        let Some(dir) = entry.path().parent() else {
            continue;
        };
        for caps in source.captures_iter(&text) {
            if let Some(target) = caps.get(1)
                && let Ok(callee) = dir.join(target.as_str()).canonicalize()
                && let Ok(caller) = dir.canonicalize()
            {
                calls.entry(callee).or_default().insert(caller);
            }
        }
    }
    calls
}

/// Replaces each directory that is a local child module by the roots that call it
/// (following chains of modules), when those roots are inside `tree`. Directories that no
/// module calls are kept as they are.
pub fn roots_for(dirs: &[PathBuf], tree: &Path) -> Vec<PathBuf> {
    let calls = local_calls(tree);
    let Ok(tree) = tree.canonicalize() else {
        return dirs.to_vec();
    };
    let mut out: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        let Ok(start) = dir.canonicalize() else {
            out.push(dir.clone());
            continue;
        };
        let mut roots = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.clone()];
        while let Some(current) = stack.pop() {
            if !seen.insert(current.clone()) {
                continue;
            }
            match calls.get(&current) {
                Some(callers) => stack.extend(callers.iter().cloned()),
                None => {
                    roots.insert(current);
                }
            }
        }
        for root in roots {
            let shown = match root.strip_prefix(&tree) {
                Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
                Ok(rel) => rel.to_path_buf(),
                Err(_) => dir.clone(),
            };
            if !out.contains(&shown) {
                out.push(shown);
            }
        }
    }
    out
}
