//! Baseline files (`--baseline`): the input is written as a baseline and read. Any bytes
//! must give the set of fingerprints or an error naming the file, never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trailwatch::report::baseline;

fn scratch() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("trailwatch-fuzz-baseline-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir.join("baseline.json")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    if let Err(error) = baseline::read(path) {
        assert!(
            error.starts_with(&path.display().to_string()),
            "error does not name the file: {error}"
        );
    }
});
