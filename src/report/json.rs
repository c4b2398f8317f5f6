//! `--format json`: one object, stable keys, findings in their sorted order.

use serde_json::{Value, json};

use super::Report;
use crate::rules::{Finding, Location};

fn location(l: &Location) -> Value {
    json!({
        "path": l.path,
        "line": l.line,
        "column": l.column,
        "end_line": l.end_line,
        "end_column": l.end_column,
    })
}

fn finding(f: &Finding) -> Value {
    json!({
        "rule": f.rule,
        "control": f.control,
        "controls": f.controls,
        "defect": f.defect,
        "level": f.level.as_str(),
        "message": f.message,
        "location": f.location.as_ref().map(location),
        "related": f.related.iter().map(|r| json!({"message": r.message, "location": location(&r.location)})).collect::<Vec<_>>(),
        "help": f.help,
        "fix": f.fix.as_ref().map(|x| json!({"description": x.description, "location": location(&x.location), "replacement": x.replacement})),
        "resource": f.resource,
        "suppressed": f.suppression.as_ref().map(|s| json!({"reason": s.reason, "location": location(&s.location)})),
        "baselined": f.baselined,
        "fingerprint": super::stable_hash(&f.fingerprint()),
    })
}

pub fn render(report: &Report) -> String {
    let controls: serde_json::Map<String, Value> = report
        .controls
        .iter()
        .map(|(id, status)| (id.clone(), Value::from(status.as_str())))
        .collect();
    let out = json!({
        "version": 1,
        "tool": {"name": "trailwatch", "version": env!("CARGO_PKG_VERSION")},
        "files": report.files,
        "nothing_to_check": report.nothing_to_check,
        "controls": controls,
        "findings": report.findings.iter().map(finding).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}
