//! The parse-only floor: what `trailwatch check` cannot avoid doing on a tree. Discovers
//! the files exactly as `check` does (`trailwatch::discover::discover`), reads each one
//! and parses it with trailwatch's own parsers (`terraform::hcl::parse_body` for `.tf` and
//! `.tfvars`, `terraform::json::parse` + lowering for `.tf.json`), in parallel on rayon's
//! global pool as `terraform::load` does, and stops there: no evaluation, no graph, no
//! rules, no report.
//!
//!     cargo bench --bench parse_floor -- CORPUS_DIR [RUNS]
//!
//! Prints one line per run and, last, `floor_seconds=<best of RUNS>` (a fresh process per
//! measurement would add about a millisecond of start-up; runs after the first have the
//! files in the page cache, like the timed `check` runs in `benches/run.sh`).

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use trailwatch::discover::{FileKind, discover};
use trailwatch::terraform::FileId;
use trailwatch::terraform::{hcl, json};

fn pass(paths: &[PathBuf]) -> (usize, usize, usize) {
    let files = discover(paths).files;
    let results: Vec<(usize, bool)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
            let Ok(bytes) = std::fs::read(&f.path) else {
                return (0, false);
            };
            let len = bytes.len();
            let Ok(text) = String::from_utf8(bytes) else {
                return (len, false);
            };
            let ok = match f.kind {
                FileKind::Hcl | FileKind::Tfvars => {
                    std::hint::black_box(hcl::parse_body(id, &text)).is_ok()
                }
                FileKind::Json | FileKind::TfvarsJson => match json::parse(&text) {
                    Ok(root) => {
                        let mut diags = Vec::new();
                        let l = json::Lower { file: id };
                        if f.kind == FileKind::Json {
                            std::hint::black_box(l.file(&root, &mut diags));
                        } else {
                            std::hint::black_box(l.tfvars(&root, &mut diags));
                        }
                        diags.is_empty()
                    }
                    Err(_) => false,
                },
            };
            (len, ok)
        })
        .collect();
    let bytes = results.iter().map(|r| r.0).sum();
    let failed = results.iter().filter(|r| !r.1).count();
    (results.len(), bytes, failed)
}

fn main() {
    // `cargo bench` appends `--bench`; take the positional arguments only.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let Some(dir) = args
        .first()
        .cloned()
        .or_else(|| std::env::var("TRAILWATCH_FLOOR_CORPUS").ok())
    else {
        eprintln!("usage: cargo bench --bench parse_floor -- CORPUS_DIR [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let paths = vec![PathBuf::from(&dir)];
    let mut best = f64::INFINITY;
    for run in 0..runs.max(1) {
        let t = Instant::now();
        let (files, bytes, failed) = pass(&paths);
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        println!(
            "run {run}: {files} files, {:.1} MB, {failed} not parsed, {:.3} s ({:.0} files/s)",
            bytes as f64 / 1e6,
            s,
            files as f64 / s
        );
    }
    println!("floor_seconds={best:.4}");
}
