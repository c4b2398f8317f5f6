//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and IDE viewers. Written with
//! serde_json rather than serde-sarif: we emit a fixed subset, and the generated builders
//! of serde-sarif cost compile time without validating anything (the test suite validates
//! our output against the schema instead).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::line_hash::line_hashes;
use super::{Report, docs, stable_hash};
use crate::rules::defect::{self, Leveled};
use crate::rules::{Control, Finding, Level, Location};

const INFORMATION_URI: &str = "https://github.com/trailwatch/trailwatch";

/// GitHub reads `security-severity` as a string between 0.1 and 10.
fn security_severity(level: &str) -> &'static str {
    match level {
        "error" => "8.0",
        "warning" => "5.0",
        _ => "2.0",
    }
}

fn rule_descriptors(controls: &[Control]) -> Vec<(String, Value)> {
    let mut rules = Vec::new();
    for c in controls {
        let markdown = docs::explain(controls, &c.id).unwrap_or_default();
        let mut tags = c.tags.clone();
        tags.truncate(20);
        rules.push((
            c.id.clone(),
            json!({
                "id": c.id,
                "name": defect::pascal(&c.id),
                "shortDescription": {"text": c.title},
                "fullDescription": {"text": truncate(c.summary.trim(), 1000)},
                "help": {"text": format!("{}\n\nFix:\n{}", c.rationale.trim(), c.fix.trim()), "markdown": markdown},
                "helpUri": defect::help_uri(&c.id),
                "defaultConfiguration": {"level": sarif_level_str(c.severity.as_str())},
                "properties": {
                    "tags": tags,
                    "security-severity": security_severity(c.severity.as_str()),
                    "precision": "very-high",
                },
            }),
        ));
    }
    for r in defect::rules() {
        let markdown = docs::explain(controls, r.id).unwrap_or_default();
        let level = match r.level {
            Leveled::Is(level) => level.as_str(),
            Leveled::OfControl => "error",
        };
        rules.push((
            r.id.to_string(),
            json!({
                "id": r.id,
                "name": r.name(),
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": r.summary},
                "help": {"text": format!("{}\n\nFix: {}", r.rationale, r.fix), "markdown": markdown},
                "helpUri": defect::help_uri(r.id),
                "defaultConfiguration": {"level": sarif_level_str(level)},
                "properties": {
                    "tags": ["security", "cis-aws-foundations", "monitoring"],
                    "security-severity": r.security_severity,
                    "precision": r.precision,
                },
            }),
        ));
    }
    rules
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        text.chars().take(max - 1).collect::<String>() + "…"
    }
}

fn sarif_level_str(level: &str) -> &'static str {
    match level {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    }
}

fn sarif_level(level: Level) -> &'static str {
    sarif_level_str(level.as_str())
}

fn physical(l: &Location, base: &str) -> Value {
    json!({
        "artifactLocation": artifact(base, &l.path),
        "region": {
            "startLine": l.line,
            "startColumn": l.column,
            "endLine": l.end_line,
            "endColumn": l.end_column.max(if l.end_line == l.line { l.column + 1 } else { 1 }),
        },
    })
}

/// Where a file is: relative to `%SRCROOT%`, the directory trailwatch ran in (the
/// repository root in CI), so code scanning finds the file whichever path was checked; or,
/// for a path given as absolute (a checkout outside the working directory), an absolute
/// `file:` URI, since a relative reference may not begin with `/`.
fn artifact(base: &str, path: &str) -> Value {
    let joined = if base.is_empty() || base == "." {
        path.to_string()
    } else {
        format!("{}/{path}", base.trim_end_matches(['/', '\\']))
    };
    let joined = joined.replace('\\', "/");
    let joined = joined.strip_prefix("./").unwrap_or(&joined);
    let drive = joined.as_bytes().get(1) == Some(&b':')
        && joined
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic);
    if joined.starts_with('/') {
        json!({"uri": format!("file://{}", encode(joined))})
    } else if drive {
        json!({"uri": format!("file:///{}", encode(joined))})
    } else {
        json!({"uri": encode(joined), "uriBaseId": "%SRCROOT%"})
    }
}

/// Percent-encodes all but the unreserved characters, `/` and a drive letter's `:`.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, byte) in path.bytes().enumerate() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            b':' if i == 1 => out.push(':'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The message, with each related location as an embedded link (`[text](id)`): code
/// scanning links a related location only where the message references it.
fn message(f: &Finding) -> String {
    let mut message = f.message.clone();
    if !f.related.is_empty() {
        let links: Vec<String> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| format!("[{}]({})", link_text(&r.message), i + 1))
            .collect();
        message.push_str("\nSee: ");
        message.push_str(&links.join("; "));
    }
    if let Some(help) = &f.help {
        message.push_str("\nHelp: ");
        message.push_str(help);
    }
    message
}

/// Link text with `\`, `[` and `]` escaped, as SARIF's embedded links require.
fn link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn result(
    f: &Finding,
    rule_index: Option<usize>,
    baseline: bool,
    base: &str,
    line_hash: Option<String>,
) -> Value {
    let mut fingerprints = json!({"trailwatchFingerprint/v1": stable_hash(&f.fingerprint())});
    if let Some(hash) = line_hash {
        fingerprints["primaryLocationLineHash"] = json!(hash);
    }
    let mut out = json!({
        "ruleId": f.rule,
        "level": sarif_level(f.level),
        "message": {"text": message(f)},
        "partialFingerprints": fingerprints,
        "properties": {
            "control": f.control,
            "defect": f.defect,
        },
    });
    if let Some(index) = rule_index {
        out["ruleIndex"] = json!(index);
    }
    if let Some(s) = &f.suppression {
        out["suppressions"] = json!([{
            "kind": "inSource",
            "justification": s.reason,
            "location": {"physicalLocation": physical(&s.location, base)},
        }]);
    }
    if baseline {
        out["baselineState"] = json!(if f.baselined { "unchanged" } else { "new" });
    }
    if let Some(l) = &f.location {
        out["locations"] = json!([{"physicalLocation": physical(l, base)}]);
    }
    if !f.related.is_empty() {
        out["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| json!({"id": i + 1, "physicalLocation": physical(&r.location, base), "message": {"text": r.message}}))
            .collect();
    }
    if let Some(fix) = &f.fix {
        out["fixes"] = json!([{
            "description": {"text": fix.description},
            "artifactChanges": [{
                "artifactLocation": artifact(base, &fix.location.path),
                "replacements": [{
                    "deletedRegion": physical(&fix.location, base)["region"].clone(),
                    "insertedContent": {"text": fix.replacement},
                }],
            }],
        }]);
    }
    out
}

pub fn render(report: &Report, controls: &[Control], category: Option<&str>) -> String {
    let rules = rule_descriptors(controls);
    // Each cited file's line hashes, computed once.
    let mut hashes: HashMap<&str, Vec<String>> = HashMap::new();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let line_hash = f.location.as_ref().and_then(|l| {
                let (path, text) = report.sources.get_key_value(&l.path)?;
                hashes
                    .entry(path.as_str())
                    .or_insert_with(|| line_hashes(text))
                    .get(l.line.checked_sub(1)?)
                    .cloned()
            });
            result(
                f,
                rules.iter().position(|(id, _)| *id == f.rule),
                report.baseline,
                report.base.as_deref().unwrap_or(""),
                line_hash,
            )
        })
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "trailwatch",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": INFORMATION_URI,
            "rules": rules.into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory trailwatch was asked to check."}}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(category) = category {
        run["automationDetails"] = json!({"id": format!("{}/", category.trim_end_matches('/'))});
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    text.push('\n');
    text
}
