//! Hostile inputs for the evaluator's bounds, through the real binary: each input goes at
//! least 10× past one bound (`MAX_NESTING`, `MAX_VALUE_DEPTH`, `MAX_DEPTH` in
//! `src/terraform/eval.rs`, the parsers' nesting limits, the decoders' recursion limits).
//! Each test asserts that trailwatch exits normally (no signal: a stack overflow aborts),
//! reports the bound at the offending file and line, and still analyses a valid
//! configuration next to it. See `docs/reliability.md` for the list of bounds.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// `MAX_NESTING` in src/terraform/eval.rs.
const MAX_NESTING: usize = 2_000;
/// `MAX_VALUE_DEPTH` in src/terraform/eval.rs.
const MAX_VALUE_DEPTH: usize = 500;
/// `MAX_DEPTH` in src/terraform/eval.rs (named values and resources inside one another).
const MAX_DEPTH: usize = 256;
/// hcl-edit's nesting limit, and the JSON parser's (src/terraform/json.rs) and serde's.
const PARSER_DEPTH: usize = 128;

const VALID: &str = "testdata/check/typo-event-name/main.tf";

/// `trailwatch check . --format json` in a tree of `files` next to the valid configuration.
fn check(files: &[(&str, String)], extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join(VALID);
    fs::copy(valid, dir.path().join("valid.tf")).expect("copy the valid configuration");
    for (name, text) in files {
        fs::write(dir.path().join(name), text).expect("write a test file");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(["check", ".", "--format", "json"])
        .args(extra)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("the trailwatch binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "trailwatch did not exit 1 (a signal is a crash):\n{stderr}"
    );
    assert!(!stderr.contains("internal error"), "a panic:\n{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let valid_analysed = report["findings"].as_array().is_some_and(|fs| {
        fs.iter()
            .any(|f| f["rule"] == "iam-policy-changes" && f["location"]["path"] == "valid.tf")
    });
    assert!(valid_analysed, "the valid file was not analysed:\n{report}");
    report
}

/// The finding at `file`:`line` whose message contains `needle`.
fn assert_reported(report: &Value, file: &str, line: usize, needle: &str) {
    let found = report["findings"].as_array().is_some_and(|fs| {
        fs.iter().any(|f| {
            f["location"]["path"] == file
                && f["location"]["line"] == line
                && f["message"].as_str().is_some_and(|m| m.contains(needle))
        })
    });
    assert!(
        found,
        "no finding at {file}:{line} with {needle:?}:\n{report:#}"
    );
}

/// `locals { x = [1][*][*]…[*] }`: a value one list deeper per step, evaluated one level
/// deeper per step.
#[test]
fn splat_chain_10x_past_the_nesting_bound() {
    let chain = "[*]".repeat(10 * MAX_NESTING);
    let tf = format!(
        "locals {{\n  x = [1]{chain}\n}}\n\nresource \"aws_sns_topic\" \"t\" {{\n  name = local.x\n}}\n"
    );
    let report = check(&[("splat.tf", tf)], &[]);
    assert_reported(&report, "splat.tf", 2, "nested too deeply");
}

/// The same chain inside a JSON string (not nested in JSON).
#[test]
fn splat_chain_in_json_syntax() {
    let chain = "[*]".repeat(10 * MAX_NESTING);
    let tf = format!(
        "{{\n\"locals\": {{\n\"x\": \"${{[[1]]{chain}}}\"\n}},\n\"resource\": {{\"aws_sns_topic\": {{\"t\": {{\"name\": \"${{local.x}}\"}}}}}}\n}}\n"
    );
    let report = check(&[("splat.tf.json", tf)], &[]);
    assert_reported(&report, "splat.tf.json", 3, "nested too deeply");
}

/// A template that renders itself: Terraform refuses `templatefile` inside a template.
#[test]
fn template_that_includes_itself() {
    let tf = "resource \"aws_sns_topic\" \"t\" {\n  name = templatefile(\"${path.module}/self.tpl\", {})\n}\n";
    let tpl = "line one\n${templatefile(\"self.tpl\", {})}\n";
    let report = check(
        &[("t.tf", tf.to_string()), ("self.tpl", tpl.to_string())],
        &[],
    );
    assert_reported(
        &report,
        "self.tpl",
        2,
        "cannot recursively call templatefile",
    );
}

/// Locals each wrapping the one before in 10 lists, each evaluated on its own (a resource
/// per local, in order), build a value 10× deeper than `MAX_VALUE_DEPTH`.
#[test]
fn value_10x_deeper_than_the_value_bound() {
    let n = 10 * MAX_VALUE_DEPTH / 10 + 1;
    let mut tf = String::from("locals {\n  l0 = 1\n");
    for i in 1..n {
        let j = i - 1;
        tf.push_str(&format!("  l{i} = [[[[[[[[[[local.l{j}]]]]]]]]]]\n"));
    }
    tf.push_str("}\n");
    for i in 0..n {
        tf.push_str(&format!(
            "resource \"aws_sns_topic\" \"t{i}\" {{\n  name = local.l{i}\n}}\n"
        ));
    }
    let report = check(&[("deep.tf", tf)], &[]);
    // l51 is the first local deeper than 500: line 53 of the file.
    let first = MAX_VALUE_DEPTH / 10 + 1;
    assert_reported(&report, "deep.tf", first + 2, "value is nested too deeply");
}

/// A chain of locals 10× longer than `MAX_DEPTH`, each needing the next.
#[test]
fn reference_chain_10x_past_the_depth_bound() {
    let n = 10 * MAX_DEPTH;
    let mut tf = String::from("locals {\n");
    for i in 0..n {
        let next = i + 1;
        tf.push_str(&format!("  l{i} = local.l{next}\n"));
    }
    tf.push_str(&format!("  l{n} = \"end\"\n}}\n"));
    tf.push_str("resource \"aws_sns_topic\" \"t\" {\n  name = local.l0\n}\n");
    let report = check(&[("chain.tf", tf)], &[]);
    // The 256th local met is `l255`, on line 257.
    assert_reported(&report, "chain.tf", MAX_DEPTH + 1, "nested too deeply");
}

/// `jsondecode` and `yamldecode` of documents nested 10× past the decoders' limit.
#[test]
fn decoders_10x_past_their_nesting_limit() {
    let depth = 10 * PARSER_DEPTH;
    let doc = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let tf = format!(
        "locals {{\n  j = jsondecode(\"{doc}\")\n  y = yamldecode(\"{doc}\")\n}}\n\nresource \"aws_sns_topic\" \"t\" {{\n  name = local.j\n  tags = local.y\n}}\n"
    );
    let report = check(&[("decode.tf", tf)], &[]);
    assert_reported(&report, "decode.tf", 2, "jsondecode()");
    assert_reported(&report, "decode.tf", 3, "yamldecode()");
}

/// Nesting the parsers refuse: functions, template directives, and a type constraint in
/// JSON syntax, each 10× past the limit; a syntax error at the file, nothing evaluated.
#[test]
fn syntax_nested_10x_past_the_parser_limit() {
    let depth = 10 * PARSER_DEPTH;
    let calls = format!("{}\"x\"{}", "lower(".repeat(depth), ")".repeat(depth));
    let ifs = format!(
        "{}x{}",
        "%{ if true }".repeat(depth),
        "%{ endif }".repeat(depth)
    );
    let ty = format!("{}string{}", "list(".repeat(depth), ")".repeat(depth));
    let report = check(
        &[
            ("calls.tf", format!("locals {{\n  x = {calls}\n}}\n")),
            (
                "ifs.tf",
                format!("locals {{\n  x = <<EOT\n{ifs}\nEOT\n}}\n"),
            ),
            (
                "type.tf.json",
                format!("{{\"variable\": {{\"v\": {{\"type\": \"{ty}\"}}}}}}\n"),
            ),
            (
                "deep.tf.json",
                format!(
                    "{{\"locals\": {{\"x\": {}{}}}}}\n",
                    "[".repeat(depth),
                    "]".repeat(depth)
                ),
            ),
        ],
        &[],
    );
    assert_reported(&report, "calls.tf", 2, "nesting");
    assert_reported(&report, "ifs.tf", 3, "nesting");
    assert_reported(&report, "deep.tf.json", 1, "nested too deeply");
    let type_reported = report["findings"]
        .as_array()
        .is_some_and(|fs| fs.iter().any(|f| f["location"]["path"] == "type.tf.json"));
    assert!(
        type_reported,
        "the type constraint is not reported:\n{report:#}"
    );
}
