//! `--format github`: workflow commands, so pull requests get inline annotations even
//! where code scanning is not available.

use std::fmt::Write;

use super::{Report, printable};
use crate::rules::Level;

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

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let active: Vec<&crate::rules::Finding> = report.active().collect();
    for group in super::group::by_place(&active) {
        let grouped;
        let f = match group.as_slice() {
            [one] => *one,
            many => {
                grouped = super::group::same_place(many);
                &grouped
            }
        };
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some(l) = &f.location {
            let path = match report.base.as_deref() {
                Some(base) if base != "." => format!("{}/{}", base.trim_end_matches('/'), l.path),
                _ => l.path.clone(),
            };
            properties.push(format!("file={}", escape_property(&path)));
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
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message)
        );
    }
    out
}
