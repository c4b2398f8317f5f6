//! Template rendering: the input is a template file rendered by `templatefile()` from a
//! fixed root module, with variables of every kind (strings, numbers, lists, maps, null,
//! unknown), so `${…}` interpolation, `%{for}`/`%{if}` directives, strip markers and the
//! functions called inside must never panic, hang or exhaust memory.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trailwatch::terraform::{LoadOptions, load};

const MAIN: &str = r#"variable "unknown" {
  type = string
}

locals {
  vars = {
    name    = "trail"
    count   = 3
    ratio   = 0.5
    enabled = true
    nothing = null
    list    = ["a", "b", "c"]
    nested  = [[1, 2], [3]]
    map     = { k = "v", n = 1 }
    objects = [{ name = "x", events = ["A", "B"] }]
    later   = var.unknown
  }
}

output "rendered" {
  value = templatefile("${path.module}/t.tftpl", local.vars)
}
"#;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("trailwatch-fuzz-tpl-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join("main.tf"), MAIN);
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    if std::fs::write(dir.join("t.tftpl"), data).is_err() {
        return;
    }
    let loaded = load(std::slice::from_ref(dir), &LoadOptions::default());
    for d in &loaded.diagnostics {
        if let Some(span) = d.span {
            let _ = loaded.sources.location(span);
        }
    }
});
