//! Paths shown to the user: lexically normalized, and relative to the scanned directory.

use std::path::{Path, PathBuf};

/// Removes `.` and `..` components without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => match out.components().next_back() {
                Some(std::path::Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(std::path::Component::RootDir | std::path::Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            c => out.push(c),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// `path` relative to `base` (both normalized), `/`-separated; `.` when equal.
pub fn relative(path: &Path, base: &Path) -> String {
    let parts_of = |p: &Path| -> Vec<std::ffi::OsString> {
        normalize(p)
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_owned())
            .collect()
    };
    let p = parts_of(path);
    let b = parts_of(base);
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".into());
    }
    for c in &p[common..] {
        parts.push(c.to_string_lossy().into_owned());
    }
    if parts.is_empty() || parts == ["."] {
        ".".into()
    } else {
        parts.retain(|s| s != ".");
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("patterns/k.tftpl"), Path::new(".")),
            "patterns/k.tftpl"
        );
        assert_eq!(relative(Path::new("./a/b"), Path::new("a")), "b");
        assert_eq!(relative(Path::new("a"), Path::new("a/")), ".");
        assert_eq!(relative(Path::new("x/m"), Path::new("y/z")), "../../x/m");
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
        assert_eq!(normalize(Path::new("../../a")), PathBuf::from("../../a"));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
    }
}
