//! `.trailwatch.toml`: the input is written as a configuration file and loaded as one
//! found in the scanned tree. Any bytes must give a configuration or an error naming the
//! file, never a panic; the error's `line:column` must lie inside the file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trailwatch::config;
use trailwatch::discover::read::Origin;

fn scratch() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("trailwatch-fuzz-config-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir.join(config::FILE_NAME)
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    let Err(error) = config::load(path, Origin::Tree) else {
        return;
    };
    let shown = path.display().to_string();
    assert!(error.starts_with(&shown), "error does not name the file: {error}");
    // `path:line:column: …` must point inside the text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = error[shown.len()..].splitn(4, ':');
    let (_, line, column) = (parts.next(), parts.next(), parts.next());
    if let (Some(Ok(line)), Some(Ok(column))) = (
        line.map(str::parse::<usize>),
        column.map(str::parse::<usize>),
    ) {
        let lines = text.split('\n').count();
        assert!((1..=lines).contains(&line), "line {line} of {lines}: {error}");
        let width = text.split('\n').nth(line - 1).map_or(0, str::len);
        assert!((1..=width + 1).contains(&column), "column {column} of {width}: {error}");
    }
});
