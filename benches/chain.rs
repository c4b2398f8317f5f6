//! Reference resolution at scale: one root module of N resources, each referring to the one
//! before (`display_name = aws_sns_topic.rI.name`), loaded and evaluated
//! (`terraform::load`) and checked end to end (`check::check`, every control).
//!
//!     cargo bench --bench chain -- [N] [RUNS]        # N = 100000, RUNS = 3 by default
//!
//! Prints each run and, last, `load_seconds=` and `check_seconds=` (best of RUNS). The tree
//! is written once to `target/bench-corpus/chain-N`. Before the per-module index of
//! resources, a reference found its target by a linear scan: 80,000 such resources took 39 s.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use trailwatch::rules::check::CheckOptions;
use trailwatch::terraform::{LoadOptions, load};

fn tree(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-corpus")
        .join(format!("chain-{n}"));
    let main = dir.join("main.tf");
    if !main.exists() {
        let mut tf = String::from("resource \"aws_sns_topic\" \"r0\" {\n  name = \"t0\"\n}\n");
        for i in 1..n {
            let prev = i - 1;
            let _ = write!(
                tf,
                "resource \"aws_sns_topic\" \"r{i}\" {{\n  name = \"t{i}\"\n  display_name = aws_sns_topic.r{prev}.name\n}}\n"
            );
        }
        if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&main, tf)) {
            eprintln!("cannot write {}: {e}", main.display());
            std::process::exit(2);
        }
    }
    dir
}

fn main() {
    // `cargo bench` appends `--bench`; take the positional arguments only.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    let paths = vec![tree(n)];
    let controls = match trailwatch::rules::controls() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("rule data: {e}");
            std::process::exit(2);
        }
    };
    let options = CheckOptions {
        selected: controls.iter().map(|c| c.id.clone()).collect(),
        ..CheckOptions::default()
    };
    let (mut best_load, mut best_check) = (f64::INFINITY, f64::INFINITY);
    for run in 0..runs.max(1) {
        let t = Instant::now();
        let loaded = load(&paths, &LoadOptions::default());
        let load_s = t.elapsed().as_secs_f64();
        let instances = loaded.instances.len();
        drop(loaded);
        let t = Instant::now();
        let report =
            trailwatch::check::check(&paths, None, &LoadOptions::default(), &options, &controls);
        let check_s = t.elapsed().as_secs_f64();
        best_load = best_load.min(load_s);
        best_check = best_check.min(check_s);
        println!(
            "run {run}: {n} resources, {instances} instances, load {load_s:.3} s, check {check_s:.3} s ({} findings)",
            report.findings.len()
        );
    }
    println!("load_seconds={best_load:.3}");
    println!("check_seconds={best_check:.3}");
}
