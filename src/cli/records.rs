//! Reads log events for `pattern test`, one at a time: JSON lines (a record, an array of
//! records or a CloudTrail log file `{"Records": [...]}` per line), one pretty-printed
//! JSON document, or (with `--text`) raw lines. Lines are streamed, so a file of any
//! length is read in bounded memory; a line or document longer than `MAX_RECORD_BYTES`
//! stops the file with an error, so `/dev/zero` or an endless pipe cannot eat memory.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;
use trailwatch::pattern::LogEvent;

/// The longest line, or whole JSON document, read into memory. CloudTrail delivers log
/// files of a few MiB (one line each once decompressed); CloudWatch events are at most
/// 1 MiB.
pub const MAX_RECORD_BYTES: u64 = 32 << 20;

/// Bad records reported per file before the rest of the file is skipped.
const MAX_ERRORS_PER_FILE: usize = 20;

/// One event and where it came from.
pub struct Record {
    pub event: LogEvent,
    /// 1-based line in the file, when the input is line-oriented.
    pub line: Option<usize>,
}

const JSON_HELP: &str = "give one JSON record per line, a JSON array, or {\"Records\": [...]}; pass --text to test raw log lines";

/// Calls `each` with every record of `path`, in order, and returns the errors (each
/// names the file, and the line when there is one). Reading stops at the first error
/// that leaves the rest of the file unreadable; a bad record only skips itself.
pub fn for_each(path: &Path, text_lines: bool, each: &mut dyn FnMut(Record)) -> Vec<String> {
    let name = path.display().to_string();
    let file = match open(path) {
        Ok(file) => file,
        Err(message) => return vec![format!("{name}: {message}")],
    };
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let mut reader = Lines {
        input: BufReader::new(file),
        line: 0,
    };
    let mut errors = Vec::new();
    let mut first = true;
    loop {
        let (line, bytes) = match reader.next() {
            Ok(Some(next)) => next,
            Ok(None) => break,
            Err(message) => {
                errors.push(format!("{name}:{}: {message}", reader.line));
                break;
            }
        };
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                errors.push(format!(
                    "{name}:{line}:{}: not UTF-8 text; CloudTrail records are UTF-8 JSON",
                    e.valid_up_to() + 1
                ));
                if errors.len() >= MAX_ERRORS_PER_FILE {
                    break;
                }
                continue;
            }
        };
        let text = if first {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        let content = text.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            continue;
        }
        if text_lines {
            each(Record {
                event: LogEvent::from_text(content),
                line: Some(line),
            });
            continue;
        }
        match serde_json::from_str::<Value>(content) {
            Ok(value) => each_of(value, Some(line), each),
            Err(e) if first => {
                // Not a record on one line: one JSON document over several lines.
                let why = format!("line {line} is not a JSON record ({e})");
                return document(&name, content, &why, size, &mut reader, each);
            }
            Err(e) => {
                errors.push(format!(
                    "{name}:{line}:{}: not a JSON record: {e}\n  help: {JSON_HELP}",
                    e.column()
                ));
                if errors.len() >= MAX_ERRORS_PER_FILE {
                    errors.push(format!(
                        "{name}: {MAX_ERRORS_PER_FILE} bad records; the rest of the file is skipped"
                    ));
                    break;
                }
            }
        }
        first = false;
    }
    errors
}

/// Opens `path` for reading; a directory is refused before any read.
fn open(path: &Path) -> Result<File, String> {
    let file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    match file.metadata() {
        Ok(meta) if meta.is_dir() => Err("is a directory, not a file of log events".to_string()),
        _ => Ok(file),
    }
}

/// Lines of at most `MAX_RECORD_BYTES`, with their 1-based numbers.
struct Lines<R> {
    input: R,
    line: usize,
}

impl<R: BufRead> Lines<R> {
    fn next(&mut self) -> Result<Option<(usize, Vec<u8>)>, String> {
        let limit = MAX_RECORD_BYTES as usize;
        let mut bytes = Vec::new();
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("cannot read: {e}")),
            };
            if chunk.is_empty() {
                break;
            }
            let (take, end) = match chunk.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if bytes.len() + take > limit {
                self.line += 1;
                return Err(format!(
                    "line is longer than {} MiB; give one record per line",
                    MAX_RECORD_BYTES >> 20
                ));
            }
            // Grow by doubling but never past the limit, so a long line costs at most
            // the limit (and one copy of half of it while growing).
            if bytes.capacity() < bytes.len() + take {
                let wanted = (bytes.len() + take).max(bytes.len() * 2).min(limit);
                bytes.reserve_exact(wanted - bytes.len());
            }
            bytes.extend_from_slice(&chunk[..take]);
            self.input.consume(take);
            if end {
                break;
            }
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        self.line += 1;
        Ok(Some((self.line, bytes)))
    }
}

/// The rest of a file whose first line is not JSON by itself: one document, read up
/// to `MAX_RECORD_BYTES` (refused up front when the file says it is larger).
fn document<R: BufRead>(
    name: &str,
    first: &str,
    why: &str,
    size: Option<u64>,
    reader: &mut Lines<R>,
    each: &mut dyn FnMut(Record),
) -> Vec<String> {
    let too_big = || {
        vec![format!(
            "{name}: {why}, and as one JSON document the file is larger than {} MiB\n  help: give JSON lines (one record per line); pass --text to test raw log lines",
            MAX_RECORD_BYTES >> 20
        )]
    };
    if size.is_some_and(|size| size > MAX_RECORD_BYTES) {
        return too_big();
    }
    let mut text = String::from(first);
    text.push('\n');
    let mut rest = Vec::new();
    let limit = MAX_RECORD_BYTES.saturating_sub(text.len() as u64);
    if let Err(e) = (&mut reader.input).take(limit + 1).read_to_end(&mut rest) {
        return vec![format!("{name}: cannot read: {e}")];
    }
    if rest.len() as u64 > limit {
        return too_big();
    }
    match String::from_utf8(rest) {
        Ok(rest) => text.push_str(&rest),
        Err(e) => {
            return vec![format!(
                "{name}: not UTF-8 text (invalid byte at offset {}); CloudTrail records are UTF-8 JSON",
                text.len() + e.utf8_error().valid_up_to()
            )];
        }
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(value) => {
            each_of(value, None, each);
            Vec::new()
        }
        Err(e) => {
            let first_line = reader.line;
            let lines: Vec<(usize, &str)> = text
                .lines()
                .enumerate()
                .map(|(i, l)| (first_line + i, l.trim_end_matches('\r')))
                .filter(|(_, l)| !l.trim().is_empty())
                .collect();
            if lines.len() <= 1 {
                return vec![format!(
                    "{name}:{}:{}: not valid JSON: {e}\n  help: {JSON_HELP}",
                    first_line + e.line() - 1,
                    e.column()
                )];
            }
            // Several lines, and not one document: JSON lines with a bad first line.
            let mut errors = Vec::new();
            for (line, content) in lines {
                match serde_json::from_str::<Value>(content) {
                    Ok(value) => each_of(value, Some(line), each),
                    Err(e) if errors.len() < MAX_ERRORS_PER_FILE => errors.push(format!(
                        "{name}:{line}:{}: not a JSON record: {e}\n  help: {JSON_HELP}",
                        e.column()
                    )),
                    Err(_) => {}
                }
            }
            errors
        }
    }
}

/// The records in one JSON value: the elements of an array or of `{"Records": [...]}`,
/// or the value itself.
fn each_of(value: Value, line: Option<usize>, each: &mut dyn FnMut(Record)) {
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
    for value in items {
        each(Record {
            event: event_of(value),
            line,
        });
    }
}

/// A JSON string element is a raw message; anything else is a structured record.
fn event_of(value: Value) -> LogEvent {
    match value {
        Value::String(message) => LogEvent::from_text(message),
        other => LogEvent::from_json(other),
    }
}
