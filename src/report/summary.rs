//! `--format summary`: a GitHub job summary in Markdown (`$GITHUB_STEP_SUMMARY`): the counts,
//! each control's status, and the most important findings (in the order the annotations
//! take, one per place).
//!
//! Everything from the scanned tree (messages, paths, resource names) is escaped, so a
//! name cannot add a link, an image or HTML to the page.

use std::fmt::Write;

use super::{ControlStatus, Report, group, printable};
use crate::rules::{Control, Finding, Level};

/// Findings listed before "… N more": the summary is read, not searched (SARIF and the
/// log hold every one), and GitHub caps a step's summary at 1 MiB.
pub const LISTED: usize = 25;

/// A message longer than this is cut, for the same reason.
const MAX_MESSAGE: usize = 1_000;

/// Markdown text: every ASCII punctuation character backslash-escaped (CommonMark allows
/// it for all of them, and it stops links, images, HTML, autolinks and table cells),
/// `` `code` `` spans as `<code>`, line breaks as `<br>`.
pub fn escape(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                out.push_str(if in_code { "</code>" } else { "<code>" });
                in_code = !in_code;
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    if in_code {
        out.push_str("</code>");
    }
    out
}

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE {
        text.to_string()
    } else {
        text.chars().take(MAX_MESSAGE - 1).collect::<String>() + "…"
    }
}

fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn level_mark(level: Level) -> &'static str {
    match level {
        Level::Error => "🔴 error",
        Level::Warning => "🟠 warning",
        Level::Note => "🔵 note",
    }
}

fn status_mark(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Fail => "❌ fail",
        ControlStatus::Unverifiable => "❔ unverifiable",
        ControlStatus::Pass => "✅ pass",
        ControlStatus::Skipped => "skipped",
    }
}

fn place(report: &Report, f: &Finding) -> String {
    match &f.location {
        Some(l) => {
            let path = match report.base.as_deref() {
                Some(base) if base != "." => {
                    format!("{}/{}", base.trim_end_matches('/'), l.path)
                }
                _ => l.path.clone(),
            };
            format!("`{path}:{}`", l.line)
        }
        None => String::new(),
    }
}

fn counts(report: &Report) -> String {
    let mut parts = vec![
        counted(report.count(Level::Error), "error"),
        counted(report.count(Level::Warning), "warning"),
        counted(report.count(Level::Note), "note"),
    ];
    let (suppressed, baselined) = (report.suppressed(), report.baselined());
    if suppressed > 0 {
        parts.push(format!("{suppressed} suppressed inline"));
    }
    if baselined > 0 {
        parts.push(format!("{baselined} in the baseline"));
    }
    format!("{} in {}", parts.join(", "), counted(report.files, "file"))
}

/// Renders the job summary. `controls` gives each control its title; `elsewhere` names the
/// other reports of this run that list every finding (the SARIF file).
pub fn render(report: &Report, controls: &[Control], elsewhere: &[String]) -> String {
    let mut out = String::from("## trailwatch\n\n");
    if report.nothing_to_check {
        let _ = writeln!(
            out,
            "Nothing to check: no CloudTrail trail and no metric filter in {} (`--require` demands the controls).",
            counted(report.files, "file")
        );
        return out;
    }
    let _ = writeln!(out, "{}\n", escape(&counts(report)));
    let mut rows: Vec<&(String, ControlStatus)> = report
        .controls
        .iter()
        .filter(|(_, s)| *s != ControlStatus::Skipped)
        .collect();
    // Failing controls first, then those trailwatch could not decide.
    rows.sort_by_key(|(_, s)| match s {
        ControlStatus::Fail => 0,
        ControlStatus::Unverifiable => 1,
        _ => 2,
    });
    if !rows.is_empty() {
        out.push_str("| control | | status |\n| --- | --- | --- |\n");
        for (id, status) in rows {
            let title = controls
                .iter()
                .find(|c| c.id == *id)
                .map(|c| escape(&c.title))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {title} | {} |",
                escape(&format!("`{id}`")),
                status_mark(*status)
            );
        }
        out.push('\n');
    }
    let active: Vec<&Finding> = report.active().collect();
    let mut diagnostics = group::one_per_place(&active);
    if diagnostics.is_empty() {
        return out;
    }
    group::by_importance(&mut diagnostics);
    out.push_str("### Findings, most important first\n\n| level | where | rule | finding |\n| --- | --- | --- | --- |\n");
    for f in diagnostics.iter().take(LISTED) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            level_mark(f.level),
            escape(&place(report, f)),
            escape(&format!("`{}`", f.rule)),
            escape(&cut(&f.message))
        );
    }
    if diagnostics.len() > LISTED {
        let mut places = elsewhere.to_vec();
        places.push("the output of `trailwatch check`".into());
        let _ = writeln!(
            out,
            "\n… and {} more; every finding is in {}.",
            diagnostics.len() - LISTED,
            escape(&places.join(" and "))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_from_the_scanned_tree_stays_text() {
        let text = escape("name `a|b` ![x](http://e.example/p.png) <img src=x> [l](u)\nnext");
        assert_eq!(
            text,
            "name <code>a\\|b</code> \\!\\[x\\]\\(http\\:\\/\\/e\\.example\\/p\\.png\\) \\<img src\\=x\\> \\[l\\]\\(u\\)<br>next"
        );
        // An unclosed code span is closed, so the rest of the page is not code.
        assert_eq!(escape("a `b"), "a <code>b</code>");
    }
}
