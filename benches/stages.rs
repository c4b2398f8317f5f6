//! Criterion benchmarks of trailwatch's library stages:
//!
//! - `pattern/*`: parsing, linting (`analyze`) and evaluating the recommended pattern of
//!   every control (and broken variants) on every control's sample CloudTrail records;
//! - `terraform_load/*`: `terraform::load` on generated monorepos of 10 and 100 roots;
//! - `check/*`: the whole `check::check` pipeline on the same corpora, all controls.
//!
//! The corpora come from `benches/gen_corpus.py` (Python >= 3.11), written once under
//! `target/bench-corpus/<N>` (set `TRAILWATCH_BENCH_CORPUS=DIR` to bench another tree
//! instead). Sample sizes are small so `cargo bench --bench stages` takes a few minutes on
//! two cores.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use trailwatch::pattern::{LogEvent, analyze, parse};
use trailwatch::rules::check::CheckOptions;
use trailwatch::terraform::{LoadOptions, load};

const SEED: &str = "6";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Generates (once) the corpus of `roots` root modules and returns its path.
fn corpus(roots: usize) -> PathBuf {
    let dir = manifest_dir()
        .join("target/bench-corpus")
        .join(roots.to_string());
    let stamp = dir.join(".complete");
    if !stamp.exists() {
        let status = Command::new("python3")
            .arg(manifest_dir().join("benches/gen_corpus.py"))
            .args(["--roots", &roots.to_string(), "--seed", SEED, "--out"])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => {
                let _ = std::fs::write(&stamp, "");
            }
            other => panic!("benches/gen_corpus.py failed ({other:?}); needs python3 >= 3.11"),
        }
    }
    dir
}

fn count_files(dir: &Path) -> u64 {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .and_then(|s| s.to_str())
                .is_some_and(|s| !s.starts_with('.'))
            {
                n += 1;
            }
        }
    }
    n
}

fn corpora() -> Vec<(String, PathBuf)> {
    if let Some(dir) = std::env::var_os("TRAILWATCH_BENCH_CORPUS") {
        return vec![("custom".to_string(), PathBuf::from(dir))];
    }
    vec![
        ("roots-10".to_string(), corpus(10)),
        ("roots-100".to_string(), corpus(100)),
    ]
}

fn patterns(c: &mut Criterion) {
    let controls = trailwatch::rules::controls().expect("rule data");
    // The recommended patterns, every benchmark version's, and broken variants of each
    // (quoted without the brace, `&&` for `||`) as real configurations have them.
    let mut texts: Vec<String> = Vec::new();
    for control in &controls {
        texts.push(control.pattern.clone());
        for cis in &control.cis {
            texts.push(cis.pattern.clone());
        }
        let p = control.pattern.trim();
        texts.push(format!("\"{}\"", &p[1..]));
        texts.push(p.replace("||", "&&"));
    }
    let events: Vec<LogEvent> = controls
        .iter()
        .flat_map(|c| c.must_match.iter().chain(c.should_not_match.iter()))
        .map(|s| LogEvent::from_text(s.record.clone()))
        .collect();
    let parsed: Vec<_> = texts.iter().filter_map(|t| parse(t).ok()).collect();

    let mut group = c.benchmark_group("pattern");
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function(format!("parse/{}-patterns", texts.len()), |b| {
        b.iter(|| {
            for t in &texts {
                let _ = black_box(parse(black_box(t)));
            }
        })
    });
    group.bench_function(format!("analyze/{}-patterns", texts.len()), |b| {
        b.iter(|| {
            for t in &texts {
                black_box(analyze(black_box(t)));
            }
        })
    });
    let pairs = (parsed.len() * events.len()) as u64;
    group.throughput(Throughput::Elements(pairs));
    group.bench_function(
        format!("eval/{}-patterns-x-{}-records", parsed.len(), events.len()),
        |b| {
            b.iter(|| {
                let mut matched = 0usize;
                for p in &parsed {
                    for e in &events {
                        matched += usize::from(p.matches(black_box(e)));
                    }
                }
                black_box(matched)
            })
        },
    );
    group.finish();
}

fn terraform_load(c: &mut Criterion) {
    let options = LoadOptions::default();
    let mut group = c.benchmark_group("terraform_load");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (name, dir) in corpora() {
        group.throughput(Throughput::Elements(count_files(&dir)));
        let paths = vec![dir];
        group.bench_with_input(BenchmarkId::from_parameter(&name), &paths, |b, paths| {
            b.iter(|| black_box(load(paths, &options)))
        });
    }
    group.finish();
}

fn check(c: &mut Criterion) {
    let controls = trailwatch::rules::controls().expect("rule data");
    let load_options = LoadOptions::default();
    let options = CheckOptions {
        selected: controls.iter().map(|c| c.id.clone()).collect(),
        ..CheckOptions::default()
    };
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (name, dir) in corpora() {
        group.throughput(Throughput::Elements(count_files(&dir)));
        let paths = vec![dir];
        group.bench_with_input(BenchmarkId::from_parameter(&name), &paths, |b, paths| {
            b.iter(|| {
                black_box(trailwatch::check::check(
                    paths,
                    None,
                    &load_options,
                    &options,
                    &controls,
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, patterns, terraform_load, check);
criterion_main!(benches);
