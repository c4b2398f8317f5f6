//! `--format github`: workflow commands, so pull requests get inline annotations even
//! where code scanning is not available.
//!
//! GitHub turns at most [`SHOWN_PER_KIND`] commands of each kind (error, warning, notice)
//! of a step into annotations and drops the rest silently, in the order they are printed.
//! So the most important come first (see [`group::by_importance`]), and when more remain,
//! the last annotation says how many and where to read them; those are printed as plain
//! lines of the log.

use std::fmt::Write;

use super::{Report, group, printable};
use crate::rules::{Finding, Level};

/// Annotations of one kind GitHub shows per step (its documented limit).
pub const SHOWN_PER_KIND: usize = 10;

/// Escapes a message (`%`, CR, LF) as the runner expects, and any other control character
/// (an ESC sequence would reach the job log's terminal emulation) as [`printable`] does.
fn escape_data(text: &str) -> String {
    let text = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    printable(&text).into_owned()
}

/// Escapes a property value: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// The path as GitHub wants it: from the repository root, which is where the step runs.
fn path(report: &Report, path: &str) -> String {
    match report.base.as_deref() {
        Some(base) if base != "." => format!("{}/{path}", base.trim_end_matches('/')),
        _ => path.to_string(),
    }
}

fn message(f: &Finding) -> String {
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    message
}

fn annotation(out: &mut String, report: &Report, f: &Finding) {
    let mut properties = Vec::new();
    if let Some(l) = &f.location {
        properties.push(format!("file={}", escape_property(&path(report, &l.path))));
        properties.push(format!("line={}", l.line));
        properties.push(format!("col={}", l.column));
        properties.push(format!("endLine={}", l.end_line));
        if l.end_line == l.line {
            properties.push(format!("endColumn={}", l.end_column));
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("trailwatch {}", f.rule))
    ));
    let _ = writeln!(
        out,
        "::{} {}::{}",
        command(f.level),
        properties.join(","),
        escape_data(&message(f))
    );
}

/// A finding GitHub would not show, as a plain log line: never a workflow command (each
/// line starts with `trailwatch:` or spaces, never `::`).
fn log_line(out: &mut String, report: &Report, f: &Finding) {
    let place = f
        .location
        .as_ref()
        .map(|l| format!("{}:{}:{}: ", path(report, &l.path), l.line, l.column))
        .unwrap_or_default();
    let text = format!(
        "trailwatch: {}: {place}[{}] {}",
        f.level,
        f.rule,
        message(f)
    );
    for (i, line) in text.lines().enumerate() {
        let indent = if i == 0 { "" } else { "    " };
        let _ = writeln!(out, "{indent}{}", printable(line));
    }
}

fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Renders the annotations. `elsewhere` names the places that list every finding in this
/// run (the SARIF file for the code scanning upload, the job summary), for the closing
/// annotation when some are not shown.
pub fn render(report: &Report, elsewhere: &[String]) -> String {
    let active: Vec<&Finding> = report.active().collect();
    let mut diagnostics = group::one_per_place(&active);
    group::by_importance(&mut diagnostics);
    let levels = [Level::Error, Level::Warning, Level::Note];
    let count = |level: Level| diagnostics.iter().filter(|f| f.level == level).count();
    // The most important level that does not fit carries the closing annotation: it keeps
    // one of its places for it, so that annotation is always shown.
    let closing = levels.into_iter().find(|l| count(*l) > SHOWN_PER_KIND);
    let mut room = levels.map(|l| SHOWN_PER_KIND - usize::from(Some(l) == closing));
    let mut out = String::new();
    let mut hidden: Vec<&Finding> = Vec::new();
    for f in &diagnostics {
        let slot = &mut room[levels.iter().position(|l| *l == f.level).unwrap_or(0)];
        if *slot == 0 {
            hidden.push(f);
        } else {
            *slot -= 1;
            annotation(&mut out, report, f);
        }
    }
    let Some(level) = closing else {
        return out;
    };
    let by_level: Vec<String> = levels
        .iter()
        .filter_map(|l| {
            let n = hidden.iter().filter(|f| f.level == *l).count();
            (n > 0).then(|| counted(n, command(*l)))
        })
        .collect();
    let mut places = elsewhere.to_vec();
    places.push("the lines after this one in the step's log".into());
    let places = match places.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    let title = format!(
        "trailwatch: {} not annotated",
        counted(hidden.len(), "more finding")
    );
    let text = format!(
        "GitHub shows {SHOWN_PER_KIND} annotations of each level per step, so {} ({}) are not annotated; see every finding in {places}.",
        counted(hidden.len(), "more finding"),
        by_level.join(", "),
    );
    let _ = writeln!(
        out,
        "::{} title={}::{}",
        command(level),
        escape_property(&title),
        escape_data(&text)
    );
    for f in hidden {
        log_line(&mut out, report, f);
    }
    out
}
