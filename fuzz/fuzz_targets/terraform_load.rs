//! Terraform loading and evaluation: the input is written as `main.tf` (or `main.tf.json`
//! when it starts with `{`) into a scratch directory, which is loaded and evaluated as a
//! root module. Parsing, evaluation (functions, templates, for expressions, count/for_each)
//! and diagnostics must never panic, hang or exhaust memory.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trailwatch::terraform::{LoadOptions, load};

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("trailwatch-fuzz-tf-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let (name, other) = if data.first() == Some(&b'{') {
        ("main.tf.json", "main.tf")
    } else {
        ("main.tf", "main.tf.json")
    };
    let _ = std::fs::remove_file(dir.join(other));
    if std::fs::write(dir.join(name), data).is_err() {
        return;
    }
    let loaded = load(std::slice::from_ref(dir), &LoadOptions::default());
    // Locations of diagnostics and instances must be computable.
    for d in &loaded.diagnostics {
        if let Some(span) = d.span {
            let _ = loaded.sources.location(span);
        }
    }
    for i in &loaded.instances {
        let _ = loaded.sources.location(i.span);
    }
});
