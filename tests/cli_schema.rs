//! `terraform-schema`, `terraform-duplicate` and `terraform-expression` through the binary:
//! `--rule` keeps them, `explain` documents them, a plan is not schema-checked.

use std::process::Command;

fn trailwatch(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the trailwatch binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn rules_of(json: &str) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(json).expect("JSON report");
    report["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The JSON report of `check` on one `main.tf` with `text`.
fn check_text(text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("main.tf"), text).expect("write");
    let path = dir.path().to_string_lossy().into_owned();
    let (_, json) = trailwatch(&["check", "--format", "json", &path]);
    serde_json::from_str(&json).expect("JSON report")
}

#[test]
fn rule_selection_keeps_configuration_errors() {
    for (fixture, rule) in [
        ("testdata/check/schema-unknown-argument", "terraform-schema"),
        (
            "testdata/check/duplicate-declarations",
            "terraform-duplicate",
        ),
        ("testdata/check/expression-errors", "terraform-expression"),
    ] {
        let (code, json) = trailwatch(&[
            "check",
            "--format",
            "json",
            "--rule",
            "vpc-changes",
            fixture,
        ]);
        assert_eq!(code, 1, "{fixture}");
        assert!(
            rules_of(&json).iter().any(|r| r == rule),
            "{fixture}: {json}"
        );
    }
}

#[test]
fn explain_documents_the_configuration_rules() {
    for (rule, level) in [
        ("terraform-schema", "error"),
        ("terraform-duplicate", "error"),
        ("terraform-expression", "warning"),
    ] {
        let (code, out) = trailwatch(&["explain", rule]);
        assert_eq!(code, 0, "{rule}");
        assert!(out.contains(level), "{rule}: {out}");
        let (_, list) = trailwatch(&["rules"]);
        assert!(
            list.lines().any(|l| l.starts_with(rule)),
            "{rule} not in `rules`"
        );
    }
}

/// The level a configuration rule is documented with is the level it is emitted with.
#[test]
fn emitted_levels_match_the_documented_ones() {
    for (fixture, rule, level) in [
        (
            "testdata/check/schema-invalid-value",
            "terraform-schema",
            "error",
        ),
        (
            "testdata/check/duplicate-declarations",
            "terraform-duplicate",
            "error",
        ),
        (
            "testdata/check/expression-errors",
            "terraform-expression",
            "warning",
        ),
    ] {
        let (_, json) = trailwatch(&["check", "--format", "json", fixture]);
        let report: serde_json::Value = serde_json::from_str(&json).expect("JSON report");
        let levels: Vec<&str> = report["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|f| f["rule"] == rule)
                    .filter_map(|f| f["level"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert!(!levels.is_empty(), "{fixture}: no {rule}");
        assert!(levels.iter().all(|l| *l == level), "{fixture}: {levels:?}");
    }
}

/// A plan was validated by Terraform and holds computed attributes: it is not schema-checked,
/// while the configuration it came from (its alarm lacks required arguments) is.
#[test]
fn plans_are_not_schema_checked() {
    let dir = "testdata/terraform/plan_json/cis";
    let (_, config) = trailwatch(&["check", "--format", "json", dir]);
    assert!(rules_of(&config).iter().any(|r| r == "terraform-schema"));
    let (_, plan) = trailwatch(&[
        "check",
        "--format",
        "json",
        "--plan",
        "testdata/terraform/plan_json/plan.json",
        dir,
    ]);
    assert!(
        !rules_of(&plan).iter().any(|r| r == "terraform-schema"),
        "{plan}"
    );
}

/// Terraform refuses a root module with a schema error or a duplicate name in its own files:
/// nothing it declares is deployed, so none of its controls passes, and each one that fails
/// has an error in the report explaining it.
#[test]
fn a_refused_root_passes_no_control() {
    for fixture in [
        "testdata/check/schema-unknown-argument",
        "testdata/check/duplicate-declarations",
    ] {
        let (_, json) = trailwatch(&["check", "--format", "json", fixture]);
        let report: serde_json::Value = serde_json::from_str(&json).expect("JSON report");
        let controls = report["controls"].as_object().cloned().unwrap_or_default();
        assert!(!controls.is_empty(), "{fixture}");
        assert!(
            controls.values().all(|s| s == "fail"),
            "{fixture}: {controls:?}"
        );
        assert!(rules_of(&json).iter().any(|r| r.starts_with("terraform-")));
    }
}

/// `ConflictsWith` holds both ways whichever side the provider lists it on, and is reported
/// once, at the later of the two arguments.
#[test]
fn conflicts_are_reported_once_whichever_side_lists_them() {
    let report = check_text(
        r#"resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name          = "a"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  statistic           = "Sum"
  metric_query {
    id         = "q"
    expression = "m1"
  }
}
resource "aws_cloudwatch_metric_alarm" "b" {
  alarm_name          = "b"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_query {
    id         = "q"
    expression = "m1"
  }
  period = 60
}
"#,
    );
    let lines: Vec<u64> = report["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|f| f["defect"] == "conflicting-arguments")
        .filter_map(|f| f["location"]["line"].as_u64())
        .collect();
    assert_eq!(lines, [6, 19], "{report}");
}

/// One mistake in a block with thousands of instances is one finding that counts them.
#[test]
fn a_mistake_shared_by_instances_is_one_finding() {
    let report = check_text(
        r#"resource "aws_cloudwatch_metric_alarm" "a" {
  for_each            = toset([for i in range(500) : tostring(i)])
  alarm_name          = "a"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "m"
  statistic           = "Sum${each.key}"
}
"#,
    );
    let messages: Vec<String> = report["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|f| f["rule"] == "terraform-schema")
        .filter_map(|f| f["message"].as_str().map(str::to_string))
        .collect();
    assert_eq!(messages.len(), 1, "{report}");
    assert!(
        messages[0].contains("499 other instance"),
        "{}",
        messages[0]
    );
}
