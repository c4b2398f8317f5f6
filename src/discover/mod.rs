//! Finds the Terraform files under the paths given: `.tf`, `.tf.json`, `terraform.tfvars(.json)`
//! and `*.auto.tfvars(.json)`. Skips `.terraform/`, `.git/`, other hidden directories and
//! test files, and never follows a symlink out of the scanned root. A file named like
//! Terraform's that is not read (not a regular file, a name that is not UTF-8, a directory
//! that cannot be listed, a `.tfvars` Terraform does not load by itself) is [`Skipped`] with
//! `reported` set, so it becomes a `file-skipped` finding; so is a hidden directory holding
//! Terraform files, once for the directory.

pub mod callers;
pub mod read;

use std::ffi::OsStr;
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
    /// A Terraform file (or a directory that may hold some) that is not analysed: reported
    /// as a `file-skipped` finding, not only under `--verbose`.
    pub reported: bool,
    /// For a hidden directory: the Terraform files under it, which a module `source` may
    /// still load (the finding then counts only those that were not).
    pub files: Vec<PathBuf>,
}

impl Skipped {
    /// A skip shown under `--verbose` only: a file Terraform itself does not read.
    pub fn quiet(path: &Path, reason: impl Into<String>) -> Skipped {
        Skipped {
            path: path.to_path_buf(),
            reason: reason.into(),
            reported: false,
            files: Vec::new(),
        }
    }

    /// A Terraform file, or a directory, that is not analysed: a `file-skipped` finding.
    pub fn reported(path: &Path, reason: impl Into<String>) -> Skipped {
        Skipped {
            path: path.to_path_buf(),
            reason: reason.into(),
            reported: true,
            files: Vec::new(),
        }
    }
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

/// Directories that belong to a tool: never walked and never reported. Terraform's cache
/// holds copies of modules (registry modules are read through
/// `.terraform/modules/modules.json`); git's holds objects, not the checked-out files.
fn tool_owned(name: &str) -> Option<&'static str> {
    match name {
        ".terraform" => Some(
            "provider and module cache (.terraform/); registry modules are read through modules.json",
        ),
        ".git" => Some("git's own directory"),
        _ => None,
    }
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != "." && name != ".."
}

/// A name Terraform or its users give a configuration or variable file, including the
/// `.tfvars` files Terraform loads only when told to.
fn terraform_named(name: &OsStr) -> bool {
    let text = name.to_string_lossy();
    classify(&text).is_some() || text.ends_with(".tfvars") || text.ends_with(".tfvars.json")
}

/// Why a variable file is not read although named like one.
pub const NOT_AUTO_LOADED: &str = "Terraform loads only terraform.tfvars and *.auto.tfvars (and their .json forms) by itself; to analyse the configuration with this file, pass `--var-file PATH` or list it in `var_files` of .trailwatch.toml (or in `exclude` if it is meant to be left out)";

/// Why the Terraform files under a hidden directory (`dir`, as shown) are not analysed.
pub fn hidden_dir_reason(dir: &str, count: usize) -> String {
    let files = if count == 1 { "file" } else { "files" };
    format!(
        "hidden directory holding {count} Terraform {files}; hidden directories are not walked (they belong to tools, and caches such as .terragrunt-cache/ repeat the configuration); to analyse them, add the directory to the paths checked (`trailwatch check . {dir}`), or list it in `exclude` of .trailwatch.toml if it is meant to be left out"
    )
}

/// A hidden directory (`.github/`, `.terragrunt-cache/`), not walked: one skip for the
/// directory, reported when Terraform files lie under it (tool-owned directories inside
/// it excepted), listing them.
fn hidden_dir(path: &Path) -> Skipped {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && tool_owned(&e.file_name().to_string_lossy()).is_some())
        })
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir() && terraform_named(e.file_name()))
        .map(walkdir::DirEntry::into_path)
        .collect();
    Skipped {
        path: path.to_path_buf(),
        reason: hidden_dir_reason(&path.display().to_string(), files.len()),
        reported: !files.is_empty(),
        files,
    }
}

/// Why a file named like Terraform's is not read, if it is not: Terraform ignores hidden
/// files; only regular files with a UTF-8 name are read (a FIFO would block, a device never
/// ends).
fn skip_file(name: &OsStr, file_type: std::fs::FileType) -> Option<String> {
    let Some(text) = name.to_str() else {
        return Some("the file name is not valid UTF-8".into());
    };
    if text.starts_with('.') {
        Some("hidden file: Terraform ignores it".into())
    } else if !file_type.is_file() {
        Some(format!(
            "{}, not a regular file: only regular files are read",
            read::kind_of(file_type)
        ))
    } else {
        None
    }
}

/// The Terraform kind of a file name; a name that is not UTF-8 is classified by its
/// readable part, so that it is reported rather than passed over.
fn classify_name(name: &OsStr) -> Option<FileKind> {
    classify(&name.to_string_lossy())
}

/// The skips that still stand once loading is done. A file loaded after all (a module
/// `source` naming a hidden directory, a variable file passed with `--var-file`) is not
/// skipped; a hidden directory counts only its files neither loaded nor reported on their
/// own (a directory also named on the command line), and goes when none is left. `loaded`
/// holds canonical paths; `display` shows a directory in the reason.
pub fn still_skipped(
    skipped: Vec<Skipped>,
    loaded: &std::collections::HashSet<PathBuf>,
    display: impl Fn(&Path) -> String,
) -> Vec<Skipped> {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let named: std::collections::HashSet<PathBuf> = skipped
        .iter()
        .filter(|s| s.reported && s.files.is_empty())
        .map(|s| canonical(&s.path))
        .collect();
    skipped
        .into_iter()
        .filter_map(|mut s| {
            if s.files.is_empty() {
                return (!s.reported || !loaded.contains(&canonical(&s.path))).then_some(s);
            }
            s.files.retain(|f| {
                let f = canonical(f);
                !loaded.contains(&f) && !named.contains(&f)
            });
            if s.files.is_empty() {
                return None;
            }
            s.reason = hidden_dir_reason(&display(&s.path), s.files.len());
            Some(s)
        })
        .collect()
}

/// The configuration files (`.tf`, `.tf.json`) of one module directory that discovery did
/// not cover (a module outside the scanned paths), sorted by name, and those that cannot
/// be read, with why.
pub fn module_files(dir: &Path) -> (Vec<(String, FileKind)>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            skipped.push(Skipped::reported(
                dir,
                format!("module directory cannot be read: {e}"),
            ));
            return (files, skipped);
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                skipped.push(Skipped::reported(dir, format!("cannot be listed: {e}")));
                continue;
            }
        };
        let name = entry.file_name();
        let Some(kind) =
            classify_name(&name).filter(|k| matches!(k, FileKind::Hcl | FileKind::Json))
        else {
            continue;
        };
        // Follows a symbolic link, as reading the file would.
        match std::fs::metadata(entry.path()) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) => match skip_file(&name, meta.file_type()) {
                Some(reason) => skipped.push(Skipped::reported(&entry.path(), reason)),
                None => files.push((name.to_string_lossy().into_owned(), kind)),
            },
            Err(e) => skipped.push(Skipped::reported(
                &entry.path(),
                format!("cannot be read: {e}"),
            )),
        }
    }
    files.sort();
    (files, skipped)
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
            let name = p.file_name().unwrap_or_default();
            match classify_name(name) {
                Some(kind) => match std::fs::metadata(p).map(|m| skip_file(name, m.file_type())) {
                    Ok(Some(reason)) => d.skipped.push(Skipped::reported(p, reason)),
                    _ => d.files.push(DiscoveredFile {
                        root,
                        path: p.clone(),
                        relative: name.to_string_lossy().into_owned(),
                        kind,
                    }),
                },
                None if terraform_named(name) => {
                    d.skipped.push(Skipped::reported(p, NOT_AUTO_LOADED));
                }
                None => d.skipped.push(Skipped::quiet(p, "not a Terraform file")),
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
        d.skipped.push(Skipped::reported(
            root,
            "path does not exist or cannot be read",
        ));
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
            let name = e.file_name().to_string_lossy();
            if e.file_type().is_dir()
                && let Some(reason) = tool_owned(&name)
            {
                skipped.push(Skipped::quiet(e.path(), reason));
                return false;
            }
            if e.path_is_symlink() {
                let inside = e
                    .path()
                    .canonicalize()
                    .is_ok_and(|c| c.starts_with(&canon_root));
                if !inside {
                    // A directory may hold Terraform files; a file matters if named like one.
                    let reported = e.file_type().is_dir() || terraform_named(e.file_name());
                    skipped.push(Skipped {
                        path: e.path().to_path_buf(),
                        reason: "symbolic link that leads outside the scanned directory".into(),
                        reported,
                        files: Vec::new(),
                    });
                    return false;
                }
            }
            if e.file_type().is_dir() && is_hidden(&name) {
                skipped.push(hidden_dir(e.path()));
                return false;
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
                // A loop leads back into what is walked anyway, and a dangling link matters
                // only when it is named like a Terraform file; anything else (a directory
                // without permission, a path longer than the system allows) may hide some.
                let dangling = e
                    .io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
                let terraform = path.file_name().is_some_and(terraform_named);
                // The I/O error alone: the path is already named.
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                d.skipped.push(if e.loop_ancestor().is_some() {
                    Skipped::quiet(&path, "symbolic link loop")
                } else if dangling && !terraform {
                    Skipped::quiet(&path, format!("cannot be read: {why}"))
                } else {
                    Skipped::reported(&path, format!("cannot be read: {why}"))
                });
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name();
        if !terraform_named(name) {
            if name.to_string_lossy().ends_with(".tftest.hcl") {
                d.skipped
                    .push(Skipped::quiet(entry.path(), "terraform test file"));
            }
            continue;
        }
        if let Some(reason) = skip_file(name, entry.file_type()) {
            d.skipped.push(Skipped::reported(entry.path(), reason));
            continue;
        }
        let Some(kind) = classify_name(name) else {
            d.skipped
                .push(Skipped::reported(entry.path(), NOT_AUTO_LOADED));
            continue;
        };
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
