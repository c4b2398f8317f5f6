//! Plan JSON (`terraform show -json`): the input is written to a file and loaded with
//! `load_plan`, without a configuration directory.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trailwatch::terraform::LoadOptions;
use trailwatch::terraform::plan::load_plan;

fn scratch() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("trailwatch-fuzz-plan-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir.join("plan.json")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    let loaded = load_plan(path, None, &LoadOptions::default());
    for d in &loaded.diagnostics {
        if let Some(span) = d.span {
            let _ = loaded.sources.location(span);
        }
    }
});
