//! Inline suppressions and baselines through the real binary.

use std::path::Path;
use std::process::Command;

fn trailwatch(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the trailwatch binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// A copy of `testdata/check/typo-event-name` with `edit` applied to main.tf.
fn project(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/check/typo-event-name/main.tf");
    let text = std::fs::read_to_string(source).expect("fixture");
    std::fs::write(dir.path().join("main.tf"), edit(text)).expect("write");
    dir
}

const FILTER: &str = "resource \"aws_cloudwatch_log_metric_filter\" \"iam_policy_changes\" {";

fn findings(dir: &Path, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out) = trailwatch(dir, &args);
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    (
        code,
        report["findings"].as_array().cloned().unwrap_or_default(),
    )
}

fn is(f: &serde_json::Value, rule: &str, defect: &str) -> bool {
    f["rule"] == rule && f["defect"] == defect
}

#[test]
fn suppression_above_the_block_with_a_reason() {
    let dir = project(|t| {
        t.replace(FILTER, &format!("# trailwatch:ignore[iam-policy-changes] reason: forwarded to the SIEM instead\n{FILTER}"))
    });
    let (code, found) = findings(dir.path(), &["--rule", "iam-policy-changes"]);
    let typo = found
        .iter()
        .find(|f| is(f, "iam-policy-changes", "pattern-misses-events"))
        .expect("still listed");
    assert_eq!(
        typo["suppressed"]["reason"],
        "forwarded to the SIEM instead"
    );
    assert!(!found.iter().any(|f| f["rule"] == "invalid-suppression"));
    assert_eq!(code, 0, "the only error is suppressed");
    let (_, sarif) = trailwatch(dir.path(), &["check", ".", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "iam-policy-changes")
        .expect("result kept");
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "forwarded to the SIEM instead"
    );
    let (_, human) = trailwatch(dir.path(), &["check", ".", "--rule", "iam-policy-changes"]);
    assert!(human.contains("1 suppressed inline"), "{human}");
    assert!(
        !human.contains("DeleteGroupPolcy"),
        "suppressed findings are not shown"
    );
}

#[test]
fn trailing_suppression_on_the_attribute_line() {
    let dir = project(|t| {
        t.lines()
            .map(|l| {
                if l.trim_start().starts_with("pattern") {
                    format!("{l} # trailwatch:ignore[iam-policy-changes] reason: legacy name kept")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let (code, found) = findings(dir.path(), &["--rule", "iam-policy-changes"]);
    assert_eq!(code, 0);
    assert!(found.iter().any(
        |f| is(f, "iam-policy-changes", "pattern-misses-events") && f["suppressed"].is_object()
    ));
}

#[test]
fn suppression_without_reason_unknown_rule_or_unused_is_a_warning() {
    for (directive, problem) in [
        ("# trailwatch:ignore[iam-policy-changes]", "has no reason"),
        (
            "# trailwatch:ignore[iam-policy-change] reason: typo",
            "unknown rule `iam-policy-change`",
        ),
        (
            "# trailwatch:ignore[root-account-usage] reason: not here",
            "suppresses nothing",
        ),
    ] {
        let dir = project(|t| t.replace(FILTER, &format!("{directive}\n{FILTER}")));
        let (code, found) = findings(dir.path(), &[]);
        assert_eq!(code, 1, "{directive}");
        let warning = found
            .iter()
            .find(|f| f["rule"] == "invalid-suppression")
            .unwrap_or_else(|| panic!("{directive}: no warning"));
        assert!(
            warning["message"]
                .as_str()
                .unwrap_or_default()
                .contains(problem),
            "{warning}"
        );
        assert_eq!(warning["level"], "warning");
        assert_eq!(warning["location"]["line"], 72);
    }
}

/// `--rule X` still shows broken suppressions (they concern every rule), but a suppression
/// of a rule this run did not check is not "suppressing nothing".
#[test]
fn rule_selection_keeps_broken_suppressions_and_skips_unchecked_rules() {
    let invalid = |directive: &str, rule: &str| -> Vec<String> {
        let dir = project(|t| t.replace(FILTER, &format!("{directive}\n{FILTER}")));
        let (_, found) = findings(dir.path(), &["--rule", rule]);
        found
            .iter()
            .filter(|f| f["rule"] == "invalid-suppression")
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let no_reason = invalid(
        "# trailwatch:ignore[iam-policy-changes]",
        "root-account-usage",
    );
    assert!(
        no_reason.iter().any(|m| m.contains("has no reason")),
        "{no_reason:?}"
    );
    let unchecked = "# trailwatch:ignore[root-account-usage] reason: not here";
    assert_eq!(
        invalid(unchecked, "iam-policy-changes"),
        Vec::<String>::new()
    );
    let checked = invalid(unchecked, "root-account-usage");
    assert!(
        checked.iter().any(|m| m.contains("suppresses nothing")),
        "{checked:?}"
    );
}

#[test]
fn baseline_keeps_known_findings_quiet_and_new_ones_loud() {
    let dir = project(|t| t);
    let baseline = dir.path().join("baseline.json");
    let (code, _) = trailwatch(
        dir.path(),
        &["check", ".", "--write-baseline", "baseline.json"],
    );
    assert_eq!(code, 0, "recording a baseline succeeds");
    assert!(baseline.is_file());
    let (code, found) = findings(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0);
    assert!(found.iter().all(|f| f["baselined"] == true));

    // Moving the filter to another file keeps it known.
    let text = std::fs::read_to_string(dir.path().join("main.tf")).expect("main.tf");
    let start = text.find(FILTER).expect("filter block");
    let end = start + text[start..].find("\n}\n").expect("block end") + 3;
    std::fs::write(dir.path().join("filters.tf"), &text[start..end]).expect("write");
    std::fs::write(
        dir.path().join("main.tf"),
        format!("{}{}", &text[..start], &text[end..]),
    )
    .expect("write");
    let (code, found) = findings(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{found:?}");
    assert!(
        found
            .iter()
            .any(|f| f["location"]["path"] == "filters.tf" && f["baselined"] == true)
    );

    // A new defect on the same resource is new.
    let filters = std::fs::read_to_string(dir.path().join("filters.tf")).expect("filters.tf");
    std::fs::write(
        dir.path().join("filters.tf"),
        filters.replace("value     = \"1\"", "value     = \"0\""),
    )
    .expect("write");
    let (code, found) = findings(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|f| f["defect"] == "metric-value-not-positive" && f["baselined"] == false),
        "{found:?}"
    );
}

#[test]
fn unreadable_baseline_is_a_usage_error() {
    let dir = project(|t| t);
    std::fs::write(dir.path().join("bad.json"), "{ not json").expect("write");
    let (code, _) = trailwatch(dir.path(), &["check", ".", "--baseline", "bad.json"]);
    assert_eq!(code, 2);
    let (code, _) = trailwatch(dir.path(), &["check", ".", "--baseline", "missing.json"]);
    assert_eq!(code, 2);
}
