//! Rule documentation generated from `rules/*.toml` and the chain rules: the README
//! table, `trailwatch rules` and `trailwatch explain` all come from here.

use std::fmt::Write;

use crate::rules::Control;
use crate::rules::defect::{self, DEFECTS, Doc, Leveled, RuleOf};

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

/// How a defect's level reads in tables: a level, or the control's own.
pub fn level_text(d: &Doc) -> &'static str {
    match d.level {
        Leveled::Is(level) => level.as_str(),
        Leveled::OfControl => "control's",
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
    let tables = [
        (
            RuleOf::Own,
            "Chain-wide and configuration rules (every control depends on these links, or on the configuration loading):",
            "rule",
        ),
        (
            RuleOf::Control,
            "Defects of a control's chain, reported under the control's id (under their own id when they concern several controls or none):",
            "defect",
        ),
        (
            RuleOf::Schema,
            "Defects of the `terraform-schema` rule:",
            "defect",
        ),
    ];
    for (rule, heading, column) in tables {
        let _ = write!(
            out,
            "\n{heading}\n\n| {column} | what it finds | level |\n|---|---|---|\n"
        );
        for d in DEFECTS.iter().filter(|d| d.rule == rule) {
            let _ = writeln!(out, "| `{}` | {} | {} |", d.id, d.title, level_text(d));
        }
    }
    out
}

/// `trailwatch rules`: one line per rule and defect id.
pub fn rules_list(controls: &[Control]) -> String {
    let mut out = String::new();
    let width = controls
        .iter()
        .map(|c| c.id.len())
        .chain(DEFECTS.iter().map(|d| d.id.len()))
        .max()
        .unwrap_or(0);
    for c in controls {
        let _ = writeln!(out, "{:width$}  {:9}  {}", c.id, c.severity, c.title);
    }
    for d in DEFECTS {
        let _ = writeln!(out, "{:width$}  {:9}  {}", d.id, level_text(d), d.title);
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
    let d = defect::doc(id)?;
    let _ = writeln!(out, "# {} — {}\n", d.id, d.title);
    let _ = writeln!(
        out,
        "Level: {}",
        match d.level {
            Leveled::Is(level) => level.as_str(),
            Leveled::OfControl => "the control's (`trailwatch rules` lists it)",
        }
    );
    let _ = writeln!(
        out,
        "Reported as: {}",
        match d.rule {
            RuleOf::Own => format!("`{}`", d.id),
            RuleOf::Control => format!(
                "`<control>::{}`, or `{}` when it concerns several controls or none",
                d.id, d.id
            ),
            RuleOf::Schema => format!("`{}::{}`", defect::SCHEMA_RULE, d.id),
        }
    );
    let _ = writeln!(out, "\n## What it does\n\n{}\n", d.summary);
    let _ = writeln!(out, "## Why is this bad?\n\n{}\n", d.rationale);
    let _ = writeln!(out, "## How to fix it\n\n{}", d.fix);
    if d.id == defect::SCHEMA_RULE {
        let _ = writeln!(out, "\n## Defects\n");
        for s in DEFECTS.iter().filter(|s| s.rule == RuleOf::Schema) {
            let _ = writeln!(out, "- `{}`: {}", s.id, s.title);
        }
    }
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

pub use crate::rules::defect::rule_ids;

/// Every id `explain` knows: controls, rules and every defect.
pub fn explainable_ids(controls: &[Control]) -> Vec<String> {
    controls
        .iter()
        .map(|c| c.id.clone())
        .chain(DEFECTS.iter().map(|d| d.id.to_string()))
        .collect()
}
