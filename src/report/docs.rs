//! Rule documentation generated from `rules/*.toml` and the chain rules: the README
//! table, `trailwatch rules` and `trailwatch explain` all come from here.

use std::fmt::Write;

use crate::rules::{CHAIN_RULES, Control, chain_rule};

/// The CIS sections of a control, newest scheme first: "3.4 / 4.4 / 5.4".
pub fn cis_sections(control: &Control) -> String {
    let mut sections: Vec<&str> = control.cis.iter().map(|c| c.section.as_str()).collect();
    sections.dedup();
    if sections.is_empty() {
        "—".to_string()
    } else {
        sections.join(" / ")
    }
}

/// The README's rules table (Markdown).
pub fn rules_table(controls: &[Control]) -> String {
    let mut out = String::new();
    out.push_str("| rule | what it proves | CIS (v1.2 / v1.4–v5 / v6) | Security Hub | level |\n");
    out.push_str("|---|---|---|---|---|\n");
    for c in controls {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            c.id,
            c.title,
            cis_sections(c),
            c.security_hub.as_deref().unwrap_or("—"),
            c.severity
        );
    }
    out.push('\n');
    out.push_str("Chain-wide rules (every control depends on these links):\n\n");
    out.push_str("| rule | what it finds | level |\n|---|---|---|\n");
    for r in CHAIN_RULES {
        let _ = writeln!(out, "| `{}` | {} | {} |", r.id, r.title, r.level);
    }
    out
}

/// `trailwatch rules`: one line per rule.
pub fn rules_list(controls: &[Control]) -> String {
    let mut out = String::new();
    let width = controls
        .iter()
        .map(|c| c.id.len())
        .chain(CHAIN_RULES.iter().map(|r| r.id.len()))
        .max()
        .unwrap_or(0);
    for c in controls {
        let _ = writeln!(out, "{:width$}  {:7}  {}", c.id, c.severity, c.title);
    }
    for r in CHAIN_RULES {
        let _ = writeln!(out, "{:width$}  {:7}  {}", r.id, r.level, r.title);
    }
    out
}

/// `trailwatch explain RULE`, in ruff's sections. Markdown, readable as plain text.
pub fn explain(controls: &[Control], id: &str) -> Option<String> {
    let mut out = String::new();
    if let Some(c) = controls.iter().find(|c| c.id == id) {
        let _ = writeln!(out, "# {} — {}\n", c.id, c.title);
        let _ = writeln!(out, "Level: {}", c.severity);
        let _ = writeln!(out, "CIS AWS Foundations: {}", cis_sections(c));
        if let Some(hub) = &c.security_hub {
            let _ = writeln!(out, "AWS Security Hub: {hub}");
        }
        for (vendor, other) in &c.other_ids {
            let _ = writeln!(out, "{vendor}: {other}");
        }
        let _ = writeln!(out, "\n## What it does\n\n{}\n", c.summary.trim());
        let _ = writeln!(out, "## Why is this bad?\n\n{}\n", c.rationale.trim());
        let _ = writeln!(out, "## Events it must catch\n");
        for s in &c.must_match {
            match &s.since {
                Some(v) => {
                    let _ = writeln!(out, "- {} (added in CIS v{v})", s.event);
                }
                None => {
                    let _ = writeln!(out, "- {}", s.event);
                }
            }
        }
        out.push_str(&lists_by_version(c));
        let _ = writeln!(
            out,
            "\n## Recommended pattern\n\n```\n{}\n```\n",
            c.pattern.trim()
        );
        let _ = writeln!(out, "## Example\n\n```hcl\n{}\n```\n", c.example.trim());
        let _ = writeln!(out, "## Use instead\n\n```hcl\n{}\n```\n", c.fix.trim());
        let _ = writeln!(out, "## References\n");
        for r in &c.references {
            let _ = writeln!(out, "- {r}");
        }
        return Some(out);
    }
    let r = chain_rule(id)?;
    let _ = writeln!(out, "# {} — {}\n", r.id, r.title);
    let _ = writeln!(out, "Level: {}", r.level);
    let _ = writeln!(out, "\n## What it does\n\n{}\n", r.summary);
    let _ = writeln!(out, "## Why is this bad?\n\n{}\n", r.rationale);
    let _ = writeln!(out, "## How to fix it\n\n{}", r.fix);
    Some(out)
}

/// The list of required events per CIS version, consecutive versions with the same list
/// on one line (`--profile cis-<version>` requires that version's list).
fn lists_by_version(c: &Control) -> String {
    let mut groups: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    for version in c.versions() {
        let events: Vec<&str> = c
            .must_match
            .iter()
            .filter(|s| c.requires(s, Some(version)))
            .map(|s| s.event.as_str())
            .collect();
        match groups.last_mut() {
            Some((versions, last)) if *last == events => versions.push(version),
            _ => groups.push((vec![version], events)),
        }
    }
    if groups.len() < 2 {
        return String::new();
    }
    let mut out =
        String::from("\nBy CIS version (`--profile cis-<version>` requires that list):\n\n");
    for (versions, events) in groups {
        let names: Vec<String> = versions.iter().map(|v| format!("v{v}")).collect();
        let _ = writeln!(out, "- {}: {}", names.join(", "), events.join(", "));
    }
    out
}

/// Every known rule id, for "did you mean" suggestions.
pub fn rule_ids(controls: &[Control]) -> Vec<String> {
    controls
        .iter()
        .map(|c| c.id.clone())
        .chain(CHAIN_RULES.iter().map(|r| r.id.to_string()))
        .collect()
}
