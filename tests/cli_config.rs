//! `.trailwatch.toml`, `config schema` and shell completions through the real binary.

use std::path::Path;
use std::process::Command;

fn trailwatch(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the trailwatch binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of a fixture in a fresh directory, with `config` as `.trailwatch.toml`.
fn project(fixture: &str, config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(fixture);
    for entry in std::fs::read_dir(&source)
        .expect("fixture exists")
        .flatten()
    {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
        }
    }
    std::fs::write(dir.path().join(".trailwatch.toml"), config).expect("write config");
    dir
}

fn findings(stdout: &str) -> Vec<(String, String, String)> {
    let report: serde_json::Value = serde_json::from_str(stdout).expect("JSON report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["defect"].as_str().unwrap_or_default().to_string(),
                f["level"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn unknown_key_names_file_line_and_nearest_key() {
    let dir = project(
        "terraform/heredoc_seed",
        "profile = \"cis-1.4\"\nrequre = true\n",
    );
    let (code, _, err) = trailwatch(dir.path(), &["check", "."]);
    assert_eq!(code, 2);
    assert!(
        err.contains(".trailwatch.toml:2:1: unknown key `requre`; did you mean `require`?"),
        "{err}"
    );
}

#[test]
fn bad_values_are_reported_with_location() {
    let dir = project("terraform/heredoc_seed", "require = \"yes\"\n");
    let (code, _, err) = trailwatch(dir.path(), &["check", "."]);
    assert_eq!(code, 2);
    assert!(err.contains(".trailwatch.toml:1:"), "{err}");
    let dir = project(
        "terraform/heredoc_seed",
        "disable = [\"iam-policy-change\"]\n",
    );
    let (code, _, err) = trailwatch(dir.path(), &["check", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `iam-policy-changes`"), "{err}");
}

#[test]
fn declared_cloudtrail_log_group_turns_notes_into_checks() {
    // Without a trail, trailwatch cannot tell which filters see CloudTrail: a note.
    let dir = project("check/no-trail-only-monitoring", "");
    let (_, out, _) = trailwatch(dir.path(), &["check", ".", "--format", "json"]);
    assert!(
        findings(&out)
            .iter()
            .any(|f| f.0 == "no-cloudtrail-log-group")
    );
    // Declared, the controls are checked for real.
    let text = std::fs::read_to_string(dir.path().join("main.tf")).expect("main.tf");
    assert!(
        text.contains("cloudtrail_log_group_name"),
        "fixture uses var.cloudtrail_log_group_name"
    );
    let config = "cloudtrail_log_groups = [\"aws-cloudtrail-logs\"]\n";
    std::fs::write(dir.path().join(".trailwatch.toml"), config).expect("write");
    let (_, out, _) = trailwatch(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--var",
            "cloudtrail_log_group_name=aws-cloudtrail-logs",
        ],
    );
    let found = findings(&out);
    assert!(
        !found.iter().any(|f| f.0 == "no-cloudtrail-log-group"),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.1 == "control-missing"), "{found:?}");
}

#[test]
fn subscribed_topics_make_external_topics_pass() {
    let dir = project(
        "check/topic-from-variable",
        "subscribed_topics = [\"arn:aws:sns:us-east-1:123456789012:alerts\"]\n",
    );
    let (_, out, _) = trailwatch(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--var",
            "alerts_topic_arn=arn:aws:sns:us-east-1:123456789012:alerts",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["controls"]["mfa-deactivation"], "pass");
}

#[test]
fn severity_disable_and_exclude() {
    let dir = project(
        "terraform/heredoc_seed",
        "disable = [\"topic-aws-managed-key\"]\n[severity]\niam-policy-changes = \"note\"\n",
    );
    let (code, out, _) = trailwatch(dir.path(), &["check", ".", "--format", "json"]);
    let found = findings(&out);
    assert!(!found.iter().any(|f| f.0 == "topic-aws-managed-key"));
    assert!(
        found
            .iter()
            .filter(|f| f.0 == "iam-policy-changes")
            .all(|f| f.2 == "note")
    );
    assert_eq!(code, 1, "cloudtrail-config-changes is still an error");
    let dir = project("terraform/heredoc_seed", "exclude = [\"main.tf\"]\n");
    let (code, out, _) = trailwatch(dir.path(), &["check", ".", "--format", "json"]);
    assert!(findings(&out).is_empty(), "{out}");
    assert_eq!(code, 0);
}

#[test]
fn require_reports_every_control_when_there_is_nothing() {
    let dir = project("check/nothing-to-check", "");
    let (code, out, _) = trailwatch(dir.path(), &["check", "."]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing to check"), "{out}");
    std::fs::write(
        dir.path().join(".trailwatch.toml"),
        "require = true\nprofile = \"cis-1.2\"\n",
    )
    .expect("write");
    let (code, out, _) = trailwatch(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code, 1);
    let missing = findings(&out)
        .into_iter()
        .filter(|f| f.1 == "control-missing")
        .count();
    assert_eq!(missing, 14, "CIS 1.2 has 14 monitoring controls");
}

#[test]
fn config_flag_names_the_file() {
    let dir = project("terraform/heredoc_seed", "");
    std::fs::write(
        dir.path().join("other.toml"),
        "rules = [\"topic-aws-managed-key\"]\n",
    )
    .expect("write");
    let (_, out, _) = trailwatch(
        dir.path(),
        &["check", ".", "--config", "other.toml", "--format", "json"],
    );
    let rules: Vec<String> = findings(&out).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["topic-aws-managed-key"]);
}

#[test]
fn schema_is_json_and_lists_every_key() {
    let (code, out, _) = trailwatch(Path::new(env!("CARGO_MANIFEST_DIR")), &["config", "schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).expect("schema is JSON");
    for key in [
        "profile",
        "rules",
        "disable",
        "require",
        "cloudtrail_log_groups",
        "subscribed_topics",
        "var_files",
        "exclude",
        "severity",
    ] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = trailwatch(Path::new("."), &["completions", shell]);
        assert_eq!(code, 0);
        assert!(
            out.contains("trailwatch") && out.contains("check"),
            "{shell}"
        );
    }
}
