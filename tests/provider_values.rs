//! Values the AWS provider derives from arguments, read through a plan: a plan leaves a
//! filter's `id` unknown, yet the provider sets it to the filter's name.

use std::process::Command;

const MAIN_TF: &str = r#"resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root-usage"
  log_group_name = "trail-events"
  pattern        = "{ $.userIdentity.type = \"Root\" }"
  metric_transformation {
    name      = "RootUsageCount"
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root-usage"
  namespace           = "Security"
  metric_name         = aws_cloudwatch_log_metric_filter.root.id
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
}
"#;

fn plan() -> serde_json::Value {
    let filter_after: serde_json::Value = serde_json::json!({
        "name": "root-usage",
        "log_group_name": "trail-events",
        "pattern": "{ $.userIdentity.type = \"Root\" }",
        "metric_transformation": [{"name": "RootUsageCount", "namespace": "Security", "value": "1"}]
    });
    let alarm_after: serde_json::Value = serde_json::json!({
        "alarm_name": "root-usage",
        "namespace": "Security",
        "statistic": "Sum",
        "period": 300,
        "threshold": 1,
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "evaluation_periods": 1
    });
    serde_json::json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_cloudwatch_log_metric_filter.root", "mode": "managed",
             "type": "aws_cloudwatch_log_metric_filter", "name": "root", "values": filter_after},
            {"address": "aws_cloudwatch_metric_alarm.root", "mode": "managed",
             "type": "aws_cloudwatch_metric_alarm", "name": "root", "values": alarm_after}
        ]}},
        "resource_changes": [
            {"address": "aws_cloudwatch_log_metric_filter.root", "mode": "managed",
             "type": "aws_cloudwatch_log_metric_filter", "name": "root",
             "change": {"actions": ["create"], "after": filter_after, "after_unknown": {"id": true}}},
            {"address": "aws_cloudwatch_metric_alarm.root", "mode": "managed",
             "type": "aws_cloudwatch_metric_alarm", "name": "root",
             "change": {"actions": ["create"], "after": alarm_after,
                        "after_unknown": {"id": true, "arn": true, "metric_name": true}}}
        ],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_cloudwatch_log_metric_filter.root", "mode": "managed",
             "type": "aws_cloudwatch_log_metric_filter", "name": "root", "expressions": {}},
            {"address": "aws_cloudwatch_metric_alarm.root", "mode": "managed",
             "type": "aws_cloudwatch_metric_alarm", "name": "root",
             "expressions": {"metric_name": {"references": [
                 "aws_cloudwatch_log_metric_filter.root.id",
                 "aws_cloudwatch_log_metric_filter.root"
             ]}}}
        ]}}
    })
}

#[test]
fn a_planned_filter_id_is_its_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("main.tf"), MAIN_TF).expect("write main.tf");
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan().to_string()).expect("write plan");
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(["check", "--format", "json", "--plan"])
        .arg(&plan_path)
        .arg(dir.path())
        .output()
        .expect("the trailwatch binary runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let watches = |defect: &str| {
        findings
            .iter()
            .find(|f| f["defect"] == defect)
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
    };
    let alarm = watches("alarm-metric-not-published")
        .unwrap_or_else(|| panic!("no alarm-metric-not-published in {findings:#?}"));
    assert!(alarm.contains("`root-usage`"), "{alarm}");
    assert!(
        watches("unverifiable").is_none(),
        "the filter's id is known: {findings:#?}"
    );
}
