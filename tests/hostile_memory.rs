//! Memory on inputs under the size cap (issue 12, item 4), through the real binary. Before
//! the syntax-node bounds (`src/terraform/nodes.rs`), one 16 MiB file that is a single tuple
//! peaked at 1.7 GB (hcl-edit's tree) and three of them at 3.5 GB. Each test writes such
//! input next to a valid configuration and asserts that trailwatch refuses it with a finding
//! at the file and line, still analyses the valid file, exits normally, and that its peak
//! resident set (Linux) stays under [`MAX_RSS_KB`].

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Peak resident memory allowed (the bound for any input under the limits).
const MAX_RSS_KB: u64 = 1 << 20;
const TIMEOUT: Duration = Duration::from_secs(120);
/// `MAX_FILE_NODES` and `MAX_TOTAL_NODES` in src/terraform/nodes.rs.
const MAX_FILE_NODES: usize = 1_000_000;
const MAX_TOTAL_NODES: usize = 4_000_000;
/// The size cap on every file of the tree (src/discover/read.rs).
const MAX_FILE_BYTES: usize = 16 << 20;
const VALID: &str = "testdata/check/typo-event-name/main.tf";

/// `trailwatch ARGS` in a tree of `files` next to the valid configuration: its JSON output,
/// exit status and peak RSS in kB. Fails on a hang, a signal or a panic.
fn run(args: &[&str], files: &[(&str, &[u8])]) -> (Value, Option<i32>, u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join(VALID);
    fs::copy(valid, dir.path().join("valid.tf")).expect("copy the valid configuration");
    for (name, text) in files {
        fs::write(dir.path().join(name), text).expect("write a test file");
    }
    let stdout = dir.path().join(".stdout");
    let mut child = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout).expect("stdout file"))
        .stderr(Stdio::null())
        .spawn()
        .expect("the trailwatch binary runs");
    let start = Instant::now();
    let mut peak_kb = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for trailwatch") {
            break status;
        }
        peak_kb = peak_kb.max(peak_rss_kb(child.id()));
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("trailwatch did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out: Value =
        serde_json::from_slice(&fs::read(&stdout).expect("stdout")).expect("JSON output");
    (out, status.code(), peak_kb)
}

/// `check . --format json` (see [`run`]): the report and the peak RSS. The exit status is 1
/// and the valid file's finding is reported.
fn check(files: &[(&str, &[u8])]) -> (Value, u64) {
    let (report, code, peak_kb) = run(&["check", ".", "--format", "json"], files);
    assert_eq!(code, Some(1), "exit status (a signal is a crash)");
    let valid_analysed = report["findings"].as_array().is_some_and(|fs| {
        fs.iter()
            .any(|f| f["rule"] == "iam-policy-changes" && f["location"]["path"] == "valid.tf")
    });
    assert!(valid_analysed, "the valid file was not analysed:\n{report}");
    (report, peak_kb)
}

/// The peak resident set of a running process, in kB (0 where unknown).
fn peak_rss_kb(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn assert_under(peak_kb: u64) {
    assert!(
        peak_kb <= MAX_RSS_KB,
        "peak RSS {peak_kb} kB, over {MAX_RSS_KB} kB"
    );
}

/// A `terraform-syntax` error at `file` (and `line`, when given) whose message has `needle`.
fn assert_refused(report: &Value, file: &str, line: Option<u64>, needle: &str) {
    let found = report["findings"].as_array().is_some_and(|fs| {
        fs.iter().any(|f| {
            f["rule"] == "terraform-syntax"
                && f["location"]["path"] == file
                && line.is_none_or(|l| f["location"]["line"] == l)
                && f["message"].as_str().is_some_and(|m| m.contains(needle))
        })
    });
    assert!(
        found,
        "no finding at {file}:{line:?} containing {needle:?}:\n{report}"
    );
}

/// A file of at most [`MAX_FILE_BYTES`]: `head`, then `item` repeated to fill it, then `tail`.
fn filled(head: &str, item: &str, tail: &str) -> Vec<u8> {
    let n = (MAX_FILE_BYTES - head.len() - tail.len()) / item.len();
    let mut text = String::with_capacity(MAX_FILE_BYTES);
    text.push_str(head);
    text.push_str(&item.repeat(n));
    text.push_str(tail);
    text.into_bytes()
}

/// One 16 MiB tuple (8 million elements, 16 × the per-file bound): refused at its line
/// before hcl-edit builds a tree. Before: 1.7 GB.
#[test]
fn one_file_that_is_one_huge_tuple() {
    let tuple = filled("locals {\n  x = [", "1,", "]\n}\n");
    let (report, peak) = check(&[("tuple.tf", &tuple)]);
    assert_refused(
        &report,
        "tuple.tf",
        Some(2),
        &format!("more than {MAX_FILE_NODES} syntax elements"),
    );
    assert_under(peak);
}

/// Three such files in one root (before: 3.5 GB), in the HCL and JSON syntaxes and as a
/// `.tfvars`: each refused, together under the bound.
#[test]
fn three_huge_files_in_one_root() {
    let hcl = filled("locals {\n  a = [", "1,", "]\n}\n");
    let json = filled("{\"locals\": {\"b\": [", "1,", "1]}}");
    let tfvars = filled("c = [", "\"\",", "]\n");
    let (report, peak) = check(&[
        ("a.tf", &hcl),
        ("b.tf.json", &json),
        ("terraform.tfvars", &tfvars),
    ]);
    let needle = format!("more than {MAX_FILE_NODES} syntax elements");
    assert_refused(&report, "a.tf", Some(2), &needle);
    assert_refused(&report, "b.tf.json", Some(1), &needle);
    assert_refused(&report, "terraform.tfvars", Some(1), &needle);
    assert_under(peak);
}

/// A template of 16 MiB of interpolations, read by `templatefile`: refused, the call's value
/// unknown with the reason, and a warning at the call.
#[test]
fn huge_template() {
    let template = filled("", "${1}", "");
    let main = b"locals {\n  t = templatefile(\"${path.module}/t.tpl\", {})\n}\nresource \"aws_sns_topic\" \"t\" {\n  name = local.t\n}\n";
    let (out, code, peak) = run(
        &["inspect", ".", "--all", "--format", "json"],
        &[("t.tpl", &template), ("main.tf", main)],
    );
    assert_eq!(code, Some(0), "{out}");
    let refused = out["diagnostics"].as_array().is_some_and(|ds| {
        ds.iter().any(|d| {
            d["location"] == "main.tf:2:7"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("syntax elements"))
        })
    });
    assert!(refused, "{out}");
    assert_under(peak);
}

/// Files each under the per-file bound that add up past the run's bound: the file that
/// would cross it (in path order, after the valid file) is refused, naming the bound. Each
/// file starts with a syntax error so that the ones before it are cheap to parse; the count
/// is a byte scan.
#[test]
fn files_adding_up_past_the_run_bound() {
    let per_file = MAX_FILE_NODES - 1_000;
    let count = MAX_TOTAL_NODES / per_file + 1;
    let text = format!("}}\nx = [{}]\n", "1,".repeat(per_file / 2 - 10));
    let names: Vec<String> = (0..count).map(|i| format!("x{i:02}.tf")).collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), text.as_bytes()))
        .collect();
    let (report, peak) = check(&files);
    let last = names.last().map_or("", String::as_str);
    assert_refused(
        &report,
        last,
        None,
        &format!("would hold more than {MAX_TOTAL_NODES} syntax elements"),
    );
    // The files before it are parsed (and here refused for their syntax error).
    assert_refused(&report, "x00.tf", Some(1), "");
    assert_under(peak);
}
