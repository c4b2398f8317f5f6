//! Every file trailwatch reads goes through [`read_bytes`]: the size limit is applied before
//! reading (the file's length) and while reading (at most one byte past the limit is ever
//! read), so `/dev/zero`, a growing file or a sparse 3 GB file cost at most the limit.
//! A file of the scanned tree must be a regular file: a FIFO would block forever and a
//! device would never end. Files named on the command line may be pipes (`<(…)`).

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest Terraform, tfvars, configuration or baseline file read: a configuration ten
/// times larger than the largest seen in practice.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// The largest plan (`terraform show -json`) read: a plan of 100,000 resources with their
/// changes is about 100 MiB; parsed, a plan takes about four times its size in memory.
pub const MAX_PLAN_BYTES: u64 = 192 << 20;

/// Where the name of a file came from, which decides what kind of file may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Found in the scanned tree, or named by a file in it: only a regular file is read.
    Tree,
    /// Named on the command line by the user: a pipe or a device is read too (bounded).
    CommandLine,
}

/// What a file that is not a regular file is, for messages.
pub fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

fn megabytes(limit: u64) -> String {
    format!("{} MiB", limit >> 20)
}

/// Why a file of the tree cannot be read, before opening it (opening a FIFO blocks).
fn refuse_tree_file(meta: &std::fs::Metadata) -> Option<String> {
    (!meta.is_file()).then(|| {
        format!(
            "{}, not a regular file: only regular files of the scanned tree are read",
            kind_of(meta.file_type())
        )
    })
}

fn open(path: &Path, origin: Origin) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // A file of the tree swapped for a FIFO after the check must not block the open.
    #[cfg(unix)]
    if origin == Origin::Tree {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    let _ = origin;
    options.open(path)
}

/// Reads at most `limit` bytes of `path`; a longer file is an error, and no more than
/// `limit + 1` bytes are ever read.
pub fn read_bytes(path: &Path, origin: Origin, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if origin == Origin::Tree
        && let Some(reason) = refuse_tree_file(&meta)
    {
        return Err(reason);
    }
    let too_large = || format!("file is larger than {}", megabytes(limit));
    if meta.is_file() && meta.len() > limit {
        return Err(too_large());
    }
    let file = open(path, origin).map_err(|e| e.to_string())?;
    let opened = file.metadata().map_err(|e| e.to_string())?;
    if origin == Origin::Tree
        && let Some(reason) = refuse_tree_file(&opened)
    {
        return Err(reason);
    }
    let expected = if opened.is_file() { opened.len() } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(expected.min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Why [`read_text`] refuses a file that was read: its content is not UTF-8.
pub const NOT_UTF8: &str = "file is not valid UTF-8";

/// [`read_bytes`], as UTF-8 text.
pub fn read_text(path: &Path, origin: Origin, limit: u64) -> Result<String, String> {
    let bytes = read_bytes(path, origin, limit)?;
    String::from_utf8(bytes).map_err(|_| NOT_UTF8.to_string())
}

/// The repository `path` belongs to: the nearest directory at or above it holding `.git`,
/// else the directory itself (canonical). Files named by the scanned tree must stay in it.
pub fn repository_root(path: &Path) -> Option<PathBuf> {
    let canonical = path.canonicalize().ok()?;
    let dir = if canonical.is_dir() {
        canonical
    } else {
        canonical.parent()?.to_path_buf()
    };
    let top = dir
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf);
    Some(top.unwrap_or(dir))
}

/// True when `path`, with every symbolic link resolved, is inside one of `roots`
/// (canonical directories).
pub fn within(path: &Path, roots: &[PathBuf]) -> bool {
    path.canonicalize()
        .is_ok_and(|c| roots.iter().any(|r| c.starts_with(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn limits_apply_while_reading() {
        let err = read_bytes(Path::new("/dev/zero"), Origin::CommandLine, 1 << 10).unwrap_err();
        assert!(err.contains("larger than"), "{err}");
        let err = read_bytes(Path::new("/dev/zero"), Origin::Tree, 1 << 10).unwrap_err();
        assert!(err.contains("character device"), "{err}");
    }
}
