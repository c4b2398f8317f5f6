//! Reads log events for `pattern test`: a CloudTrail record, a JSON array of records, a
//! CloudTrail log file (`{"Records": [...]}`), JSON lines, or (with `--text`) raw lines.

use std::path::Path;

use serde_json::Value;
use trailwatch::pattern::LogEvent;

/// One event and where it came from.
pub struct Record {
    pub event: LogEvent,
    /// 1-based line in the file, when the input is line-oriented.
    pub line: Option<usize>,
}

pub fn read(path: &Path, text_lines: bool) -> Result<Vec<Record>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text (invalid byte at offset {}); CloudTrail records are UTF-8 JSON",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text_lines {
        return Ok(lines(text)
            .map(|(line, message)| Record {
                event: LogEvent::from_text(message),
                line: Some(line),
            })
            .collect());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Ok(from_value(value)),
        // One document that is not JSON: report where the parser stopped.
        Err(whole) if lines(text).nth(1).is_none() => Err(format!(
            "{}:{}:{}: not valid JSON: {whole}\n  help: give a CloudTrail record, a JSON array, {{\"Records\": [...]}} or JSON lines; pass --text to test raw log lines",
            path.display(),
            whole.line(),
            whole.column()
        )),
        Err(_) => lines(text)
            .map(|(line, content)| match serde_json::from_str::<Value>(content) {
                Ok(value) => Ok(Record {
                    event: event_of(value),
                    line: Some(line),
                }),
                Err(e) => Err(format!(
                    "{}:{line}:{}: not a JSON record: {e}\n  help: give one JSON record per line, a JSON array, or {{\"Records\": [...]}}; pass --text to test raw log lines",
                    path.display(),
                    e.column()
                )),
            })
            .collect(),
    }
}

/// Non-empty lines with their 1-based numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
}

fn from_value(value: Value) -> Vec<Record> {
    let items = match value {
        Value::Object(mut map) if map.get("Records").is_some_and(Value::is_array) => {
            match map.remove("Records") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            }
        }
        Value::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .map(|value| Record {
            event: event_of(value),
            line: None,
        })
        .collect()
}

/// A JSON string element is a raw message; anything else is a structured record.
fn event_of(value: Value) -> LogEvent {
    match value {
        Value::String(message) => LogEvent::from_text(message),
        other => LogEvent::from_json(other),
    }
}
