//! Baselines: `--write-baseline FILE` records today's findings by their stable
//! fingerprint (rule, defect, control, resource — never a line or file, so moving a
//! resource keeps it known); `--baseline FILE` marks findings found there as known.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};

use super::{Report, stable_hash};
use crate::discover::read::{MAX_FILE_BYTES, Origin, read_text};

/// Writes the baseline; returns how many findings it records.
pub fn write(report: &Report, path: &Path) -> Result<usize, String> {
    let mut entries: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .map(|f| {
            json!({
                "fingerprint": stable_hash(&f.fingerprint()),
                "rule": f.rule,
                "defect": f.defect,
                "control": f.control,
                "resource": f.resource,
                "message": f.message,
            })
        })
        .collect();
    entries.sort_by(|a, b| a["fingerprint"].as_str().cmp(&b["fingerprint"].as_str()));
    entries.dedup_by(|a, b| a["fingerprint"] == b["fingerprint"]);
    let recorded = entries.len();
    let out = json!({"version": 1, "tool": "trailwatch", "findings": entries});
    let text = serde_json::to_string_pretty(&out).unwrap_or_default() + "\n";
    std::fs::write(path, text)
        .map(|()| recorded)
        .map_err(|e| format!("{}: cannot write the baseline: {e}", path.display()))
}

/// Reads the fingerprints of a baseline file.
pub fn read(path: &Path) -> Result<BTreeSet<String>, String> {
    let text = read_text(path, Origin::CommandLine, MAX_FILE_BYTES)
        .map_err(|e| format!("{}: cannot read the baseline: {e}", path.display()))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a trailwatch baseline: {e}\n  help: create one with `trailwatch check --write-baseline {}`",
            path.display(),
            e.line(),
            e.column(),
            path.display()
        )
    })?;
    let findings = value
        .get("findings")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            format!(
                "{}: not a trailwatch baseline (no `findings` list)",
                path.display()
            )
        })?;
    Ok(findings
        .iter()
        .filter_map(|f| {
            f.get("fingerprint")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect())
}

/// Marks the findings whose fingerprint the baseline holds.
pub fn apply(report: &mut Report, known: &BTreeSet<String>) {
    report.baseline = true;
    for f in &mut report.findings {
        f.baselined = known.contains(&stable_hash(&f.fingerprint()));
    }
}
