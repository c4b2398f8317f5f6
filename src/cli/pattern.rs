//! `trailwatch pattern check|test`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde_json::json;
use trailwatch::pattern::{
    Analysis, PatternDiagnostic, Severity, analyze, is_hidden_control, print,
};

use super::{records, render};

#[derive(Subcommand)]
pub enum PatternCommand {
    /// Parse and lint a pattern; print its diagnostics and canonical form.
    ///
    /// Exit status: 0 valid, 1 lint findings (errors or warnings), 2 CloudWatch refuses
    /// the pattern (a syntax error or a documented limit).
    Check {
        /// The filter pattern text, or `-` to read it from standard input.
        pattern: String,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Test a pattern on CloudTrail records, like the console's "Test pattern" button.
    ///
    /// FILE holds a record, a JSON array of records, a CloudTrail log file
    /// ({"Records": [...]}) or JSON lines. Exit status: 0 whether or not records matched,
    /// 2 when CloudWatch refuses the pattern or a file or record cannot be read.
    Test {
        /// The filter pattern text, or `-` to read it from standard input.
        pattern: String,
        /// Files of log events.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Read each line as a raw log message instead of JSON.
        #[arg(long)]
        text: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(command: PatternCommand) -> u8 {
    match command {
        PatternCommand::Check { pattern, format } => match read_pattern(pattern) {
            Ok(text) => check(&text, format),
            Err(message) => fail(&message),
        },
        PatternCommand::Test {
            pattern,
            files,
            text,
            format,
        } => match read_pattern(pattern) {
            Ok(pattern) => test(&pattern, &files, text, format),
            Err(message) => fail(&message),
        },
    }
}

fn fail(message: &str) -> u8 {
    eprintln!("error: {message}");
    2
}

fn read_pattern(argument: String) -> Result<String, String> {
    if argument != "-" {
        return Ok(argument);
    }
    // Far above CloudWatch's 1,024 characters, so the `too-long` refusal still shows,
    // yet `pattern check - < /dev/zero` stops.
    const MAX_STDIN_BYTES: u64 = 1 << 20;
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_STDIN_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read the pattern from standard input: {e}"))?;
    if text.len() as u64 > MAX_STDIN_BYTES {
        return Err(format!(
            "the pattern on standard input is longer than {} MiB; CloudWatch accepts 1,024 characters",
            MAX_STDIN_BYTES >> 20
        ));
    }
    Ok(text)
}

const SOURCE_NAME: &str = "pattern";

fn check(text: &str, format: Format) -> u8 {
    let analysis = analyze(text);
    let report = match format {
        Format::Human => human_report(text, &analysis),
        Format::Json => json_report(text, &analysis),
    };
    emit(&report).unwrap_or_else(|| exit_code(&analysis))
}

/// Writes `text` to standard output. `Some(2)` (after saying why) when that fails; a
/// closed pipe (`| head`) is not an error.
fn emit(text: &str) -> Option<u8> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => None,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => None,
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            Some(2)
        }
    }
}

fn exit_code(analysis: &Analysis) -> u8 {
    if analysis.refusal().is_some() {
        2
    } else if analysis.worst() >= Some(Severity::Warning) {
        1
    } else {
        0
    }
}

fn human_report(text: &str, analysis: &Analysis) -> String {
    let mut out = diagnostics_report(text, analysis);
    if analysis.refusal().is_some() {
        out.push_str(
            "CloudWatch refuses this pattern: PutMetricFilter fails, so `terraform apply` fails\n",
        );
    }
    if let Some(pattern) = &analysis.pattern {
        let kind = kind_name(pattern);
        out.push_str(&format!(
            "{kind} pattern; canonical form:\n{}\n",
            escape_controls(&print(pattern))
        ));
    }
    out
}

/// Prints each diagnostic over the pattern text with its control characters shown as
/// `\u{1b}` escapes, so a pattern cannot drive the terminal; spans move with the text.
fn diagnostics_report(text: &str, analysis: &Analysis) -> String {
    let color = render::use_color();
    let (shown, offset) = shown_text(text);
    let mut out = String::new();
    for diagnostic in &analysis.diagnostics {
        let mut visible = diagnostic.clone();
        visible.span.start = offset(diagnostic.span.start);
        visible.span.end = offset(diagnostic.span.end);
        visible.message = escape_controls(&visible.message);
        visible.label = escape_controls(&visible.label);
        visible.help = visible.help.as_deref().map(escape_controls);
        visible.fix = visible.fix.as_deref().map(escape_controls);
        out.push_str(&render::pattern_diagnostic(
            &visible,
            SOURCE_NAME,
            &shown,
            color,
        ));
    }
    out
}

/// `text` with control characters (other than tab and newline) written as `\u{…}`.
fn escape_controls(text: &str) -> String {
    shown_text(text).0
}

/// The escaped text, and a map from byte offsets in `text` to offsets in it.
fn shown_text(text: &str) -> (String, impl Fn(usize) -> usize) {
    let mut shown = String::with_capacity(text.len());
    // (offset in text, offset in shown) at each escaped character.
    let mut moves: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if is_hidden_control(c) {
            moves.push((i, shown.len()));
            shown.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            moves.push((i + c.len_utf8(), shown.len()));
        } else {
            shown.push(c);
        }
    }
    let offset = move |at: usize| match moves.binary_search_by_key(&at, |m| m.0) {
        Ok(i) => moves[i].1,
        Err(0) => at,
        Err(i) => moves[i - 1].1 + (at - moves[i - 1].0),
    };
    (shown, offset)
}

fn kind_name(pattern: &trailwatch::pattern::Pattern) -> &'static str {
    use trailwatch::pattern::Pattern;
    match pattern {
        Pattern::MatchAll => "empty (matches every event)",
        Pattern::Terms(_) => "term",
        Pattern::Json(_) => "JSON",
        Pattern::Delimited(_) => "space-delimited",
    }
}

fn diagnostic_json(text: &str, d: &PatternDiagnostic) -> serde_json::Value {
    let (line, column) = line_column(text, d.span.start);
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "refused": d.refused,
        "message": d.message,
        "start": d.span.start,
        "end": d.span.end,
        "line": line,
        "column": column,
        "label": d.label,
        "help": d.help,
        "fix": d.fix,
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn json_report(text: &str, analysis: &Analysis) -> String {
    let out = json!({
        "valid": analysis.refusal().is_none(),
        "kind": analysis.pattern.as_ref().map(kind_name),
        "canonical": analysis.pattern.as_ref().map(print),
        "diagnostics": analysis.diagnostics.iter().map(|d| diagnostic_json(text, d)).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

fn test(text: &str, files: &[PathBuf], raw_text: bool, format: Format) -> u8 {
    let analysis = analyze(text);
    let pattern = analysis
        .pattern
        .as_ref()
        .filter(|_| analysis.refusal().is_none());
    let Some(pattern) = pattern else {
        let report = match format {
            Format::Human => human_report(text, &analysis),
            Format::Json => json_report(text, &analysis),
        };
        return emit(&report).unwrap_or(2);
    };
    let stdout = std::io::stdout();
    let mut out = Results {
        out: std::io::BufWriter::new(stdout.lock()),
        format,
        total: 0,
        matched: 0,
        failed: None,
    };
    if format == Format::Human {
        let diagnostics = diagnostics_report(text, &analysis);
        out.write(format_args!("{diagnostics}"));
    }
    out.start();
    let mut code = 0;
    for file in files {
        let mut position = 0;
        let errors = records::for_each(file, raw_text, &mut |record| {
            let matched = pattern.matches(&record.event);
            out.record(file, position, &record, matched);
            position += 1;
        });
        for message in errors {
            // Keep stdout and stderr in reading order.
            out.flush();
            eprintln!("error: {message}");
            code = 2;
        }
        if out.failed.is_some() {
            break;
        }
    }
    out.finish();
    match out.failed {
        None => code,
        // A reader that went away (`| head`) wants no more; that is not an error.
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Some(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            2
        }
    }
}

/// `pattern test`'s output, written record by record so nothing is held in memory. The
/// first write error stops the output and is kept.
struct Results<W: Write> {
    out: W,
    format: Format,
    total: usize,
    matched: usize,
    failed: Option<std::io::Error>,
}

impl<W: Write> Results<W> {
    fn write(&mut self, text: std::fmt::Arguments) {
        if self.failed.is_none()
            && let Err(e) = self.out.write_fmt(text)
        {
            self.failed = Some(e);
        }
    }

    fn flush(&mut self) {
        if self.failed.is_none()
            && let Err(e) = self.out.flush()
        {
            self.failed = Some(e);
        }
    }

    fn start(&mut self) {
        if self.format == Format::Json {
            self.write(format_args!("{{\n  \"records\": ["));
        }
    }

    fn record(&mut self, file: &Path, position: usize, record: &records::Record, matched: bool) {
        let index = self.total;
        self.total += 1;
        self.matched += usize::from(matched);
        match self.format {
            Format::Human => {
                let place = match record.line {
                    Some(line) => format!("{}:{line}", file.display()),
                    None => format!("{}[{position}]", file.display()),
                };
                let verdict = if matched { "match   " } else { "no match" };
                let label = describe(&record.event);
                self.write(format_args!(
                    "{verdict}  {}  {label}\n",
                    escape_controls(&place)
                ));
            }
            Format::Json => {
                let item = json!({
                    "index": index,
                    "matched": matched,
                    "file": file.display().to_string(),
                    "position": position,
                    "line": record.line,
                });
                let separator = if index == 0 { "" } else { "," };
                self.write(format_args!("{separator}\n    {item}"));
            }
        }
    }

    fn finish(&mut self) {
        let (matched, total) = (self.matched, self.total);
        match self.format {
            Format::Human => self.write(format_args!("{matched} of {total} records matched\n")),
            Format::Json => {
                let close = if total == 0 { "]" } else { "\n  ]" };
                self.write(format_args!(
                    "{close},\n  \"matched\": {matched},\n  \"total\": {total}\n}}\n"
                ));
            }
        }
        self.flush();
    }
}

/// A short label for a record: `eventName (eventSource)`, or the start of the message.
fn describe(event: &trailwatch::pattern::LogEvent) -> String {
    if let Some(json) = &event.json {
        let name = json.get("eventName").and_then(|v| v.as_str());
        let source = json.get("eventSource").and_then(|v| v.as_str());
        match (name, source) {
            (Some(name), Some(source)) => {
                return escape_controls(&format!("{name} ({source})"));
            }
            (Some(name), None) => return escape_controls(name),
            _ => {}
        }
    }
    let message: String = event.message.chars().take(60).collect();
    let shown = escape_controls(&message);
    if message.len() < event.message.len() {
        format!("{shown}…")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::shown_text;

    #[test]
    fn offsets_move_with_the_escaped_text() {
        let text = "a\u{1b}bc\u{0}d";
        let (shown, offset) = shown_text(text);
        assert_eq!(shown, r"a\u{1b}bc\u{0}d");
        assert_eq!(offset(0), 0);
        assert_eq!(offset(1), 1); // the ESC starts its escape
        assert_eq!(offset(2), 7); // `b` follows the escape
        assert_eq!(offset(4), 9); // the NUL
        assert_eq!(offset(5), 14); // `d`
        assert_eq!(offset(6), 15); // the end
        assert_eq!(&shown[offset(2)..offset(4)], "bc");
    }
}
