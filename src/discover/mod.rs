//! Finds the Terraform files under the paths given: `.tf`, `.tf.json`, `terraform.tfvars(.json)`
//! and `*.auto.tfvars(.json)`. Skips `.terraform/`, hidden directories and test files, and
//! never follows a symlink out of the scanned root.

pub mod callers;

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `.tf`
    Hcl,
    /// `.tf.json`
    Json,
    /// `terraform.tfvars`, `*.auto.tfvars`
    Tfvars,
    /// `terraform.tfvars.json`, `*.auto.tfvars.json`
    TfvarsJson,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscoveredFile {
    /// The scanned root this file was found under.
    pub root: PathBuf,
    /// The path as found (root joined with the relative path).
    pub path: PathBuf,
    /// Relative to `root`, `/`-separated.
    pub relative: String,
    pub kind: FileKind,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub files: Vec<DiscoveredFile>,
    pub skipped: Vec<Skipped>,
}

/// Classifies a file name; `None` for files Terraform does not read.
pub fn classify(name: &str) -> Option<FileKind> {
    if name.ends_with(".tf.json") {
        Some(FileKind::Json)
    } else if name.ends_with(".tf") {
        Some(FileKind::Hcl)
    } else if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
        Some(FileKind::Tfvars)
    } else if name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars.json") {
        Some(FileKind::TfvarsJson)
    } else {
        None
    }
}

/// Why a directory is not descended into, if it is not.
fn skip_dir(name: &str) -> Option<&'static str> {
    if name == ".terraform" {
        Some(
            "provider and module cache (.terraform/); registry modules are read through modules.json",
        )
    } else if name.starts_with('.') && name != "." && name != ".." {
        Some("hidden directory")
    } else {
        None
    }
}

/// Why a Terraform-looking file is skipped, if it is.
fn skip_file(name: &str) -> Option<&'static str> {
    if name.ends_with(".tftest.hcl") || name.ends_with(".tftest.json") {
        Some("terraform test file")
    } else if name.starts_with('.') {
        Some("hidden file")
    } else {
        None
    }
}

/// Walks each path. A file path is taken as is (its directory is its module); a directory is
/// walked recursively. Output is sorted.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut d = Discovery::default();
    for p in paths {
        if p.is_file() {
            let root = p
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            match classify(name) {
                Some(kind) => d.files.push(DiscoveredFile {
                    root,
                    path: p.clone(),
                    relative: name.to_string(),
                    kind,
                }),
                None => d.skipped.push(Skipped {
                    path: p.clone(),
                    reason: "not a Terraform file".into(),
                }),
            }
            continue;
        }
        walk(p, &mut d);
    }
    d.files.sort();
    // Overlapping paths (`a` and `a/b`) must not load a file twice.
    let mut seen = std::collections::HashSet::new();
    d.files
        .retain(|f| seen.insert(f.path.canonicalize().unwrap_or_else(|_| f.path.clone())));
    d.skipped.sort();
    d.skipped.dedup();
    d
}

fn walk(root: &Path, d: &mut Discovery) {
    let Ok(canon_root) = root.canonicalize() else {
        d.skipped.push(Skipped {
            path: root.to_path_buf(),
            reason: "path does not exist or cannot be read".into(),
        });
        return;
    };
    let mut skipped = Vec::new();
    let it = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_str().unwrap_or("");
            if e.file_type().is_dir()
                && let Some(reason) = skip_dir(name)
            {
                skipped.push(Skipped {
                    path: e.path().to_path_buf(),
                    reason: reason.into(),
                });
                return false;
            }
            if e.path_is_symlink() {
                let inside = e
                    .path()
                    .canonicalize()
                    .is_ok_and(|c| c.starts_with(&canon_root));
                if !inside {
                    skipped.push(Skipped {
                        path: e.path().to_path_buf(),
                        reason: "symbolic link that leads outside the scanned directory".into(),
                    });
                    return false;
                }
            }
            true
        });
    for entry in it {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    format!("cannot be read: {e}")
                };
                d.skipped.push(Skipped { path, reason });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_str().unwrap_or("");
        let Some(kind) = classify(name) else {
            if name.ends_with(".tftest.hcl") {
                d.skipped.push(Skipped {
                    path: entry.path().to_path_buf(),
                    reason: "terraform test file".into(),
                });
            }
            continue;
        };
        if let Some(reason) = skip_file(name) {
            d.skipped.push(Skipped {
                path: entry.path().to_path_buf(),
                reason: reason.into(),
            });
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        d.files.push(DiscoveredFile {
            root: root.to_path_buf(),
            path: entry.path().to_path_buf(),
            relative,
            kind,
        });
    }
    d.skipped.extend(skipped);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        assert_eq!(classify("main.tf"), Some(FileKind::Hcl));
        assert_eq!(classify("main.tf.json"), Some(FileKind::Json));
        assert_eq!(classify("terraform.tfvars"), Some(FileKind::Tfvars));
        assert_eq!(classify("x.auto.tfvars.json"), Some(FileKind::TfvarsJson));
        assert_eq!(classify("prod.tfvars"), None);
        assert_eq!(classify("a.tftest.hcl"), None);
    }
}
