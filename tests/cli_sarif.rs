//! SARIF as code scanning keeps it, through the real binary: `primaryLocationLineHash`
//! survives lines added elsewhere and changes with the flagged text, related locations are
//! links in the message, and an absolute path gives absolute `file:` URIs.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn sarif(dir: &Path, path: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(["check", path, "--format", "sarif"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the trailwatch binary runs");
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

const SEED: &str = "testdata/check/seed-000-quoted-heredoc/main.tf";

/// A copy of the seed in a temporary directory (outside any repository), edited.
fn project(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).expect("fixture");
    std::fs::write(dir.path().join("main.tf"), edit(&text)).expect("write");
    dir
}

fn results(log: &Value) -> Vec<Value> {
    log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Each result's line hash, keyed by what identifies the finding apart from its place.
fn hashes(log: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = results(log)
        .iter()
        .map(|r| {
            let key = format!(
                "{}/{}",
                r["ruleId"], r["partialFingerprints"]["trailwatchFingerprint/v1"]
            );
            let hash = r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .expect("every result has a line hash")
                .to_string();
            (key, hash)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn line_hashes_survive_lines_added_above_and_change_with_the_flagged_text() {
    let original = project(str::to_string);
    let moved = project(|t| format!("# a comment\n\nlocals {{}}\n\n{t}"));
    let reindented = project(|t| t.replace("\n  ", "\n    "));
    let before = hashes(&sarif(original.path(), "."));
    assert!(!before.is_empty());
    for (_, hash) in &before {
        let (hex, n) = hash.split_once(':').expect("HASH:N");
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()) && n.parse::<u32>().is_ok());
    }
    assert_eq!(hashes(&sarif(moved.path(), ".")), before);
    assert_eq!(hashes(&sarif(reindented.path(), ".")), before);
    // The quoted pattern edited (still broken): its alert is a new one.
    let edited = project(|t| t.replacen("DeleteGroupPolicy", "DeleteGroupPolicyX", 1));
    let after = hashes(&sarif(edited.path(), "."));
    let changed = before.iter().filter(|b| !after.contains(b)).count();
    assert!(changed >= 1, "{before:?}\n{after:?}");
}

#[test]
fn related_locations_are_links_in_the_message() {
    let log = sarif(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        "testdata/check/seed-000-quoted-heredoc",
    );
    let mut linked = 0;
    for r in results(&log) {
        let text = r["message"]["text"].as_str().unwrap_or_default();
        for related in r["relatedLocations"].as_array().into_iter().flatten() {
            let id = related["id"].as_u64().expect("id");
            assert!(text.contains(&format!("]({id})")), "{text}");
            linked += 1;
        }
    }
    assert!(linked > 0, "the seed has a related location");
}

#[test]
fn an_absolute_path_gives_absolute_file_uris() {
    let dir = project(str::to_string);
    let absolute = dir.path().to_str().expect("UTF-8 temp path").to_string();
    let log = sarif(Path::new(env!("CARGO_MANIFEST_DIR")), &absolute);
    let all = results(&log);
    assert!(!all.is_empty());
    for r in all {
        let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = artifact["uri"].as_str().expect("uri");
        assert!(uri.starts_with("file:///"), "{uri}");
        assert!(uri.ends_with("/main.tf"), "{uri}");
        assert!(artifact.get("uriBaseId").is_none(), "{artifact}");
    }
}
