//! What every check needs: source locations for spans, the event catalog, and the
//! findings collected so far.

use std::collections::BTreeSet;

use crate::rules::{Control, Defect, Finding, Location};
use crate::terraform::Instance;
use crate::terraform::source::{SourceMap, Span};
use crate::terraform::value::Str;

pub struct Context<'s> {
    pub sources: &'s SourceMap,
    /// Every event name the rule data knows, for "did you mean" suggestions.
    pub events: &'s BTreeSet<String>,
    findings: Vec<Finding>,
}

/// Every event name in the rule data's sample records.
pub fn event_catalog(controls: &[Control]) -> BTreeSet<String> {
    let mut events = BTreeSet::new();
    for control in controls {
        for sample in control.must_match.iter().chain(&control.should_not_match) {
            if let Some(json) = sample.event().and_then(|e| e.json.as_ref())
                && let Some(name) = json.get("eventName").and_then(|v| v.as_str())
            {
                events.insert(name.to_string());
            }
        }
    }
    events
}

impl<'s> Context<'s> {
    pub fn new(sources: &'s SourceMap, events: &'s BTreeSet<String>) -> Self {
        Context {
            sources,
            events,
            findings: Vec::new(),
        }
    }

    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// How many findings have been pushed so far (for `pushed_since`).
    pub fn mark(&self) -> usize {
        self.findings.len()
    }

    /// The findings pushed after `mark`.
    pub fn pushed_since(&self, mark: usize) -> &[Finding] {
        self.findings.get(mark..).unwrap_or_default()
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    pub fn location(&self, span: Span) -> Option<Location> {
        span_location(self.sources, span)
    }

    /// A fix replacing the value of attribute `path` with `replacement`, when that value is a
    /// literal (number, bool or plain string) written in this block of the root module and
    /// not shared by `count`/`for_each` instances: a variable or a module input is better
    /// fixed where it is set, which the author knows and trailwatch may not.
    pub fn literal_fix(
        &self,
        instance: &Instance,
        path: &str,
        replacement: &str,
        description: String,
    ) -> Option<crate::rules::Fix> {
        if !rewrites_only_itself(instance) {
            return None;
        }
        let span = instance.attribute_spans.get(path)?;
        let source = self.sources.get(span.file)?.text.get(span.range())?;
        let quoted = source.len() >= 2
            && source.starts_with('"')
            && source.ends_with('"')
            && !source[1..source.len() - 1].contains(['"', '$', '%', '\\']);
        let number = source.starts_with(|c: char| c.is_ascii_digit() || c == '-')
            && source.parse::<f64>().is_ok();
        let literal = quoted || number || matches!(source, "true" | "false");
        if !literal {
            return None;
        }
        Some(crate::rules::Fix {
            description,
            location: self.location(*span)?,
            replacement: replacement.to_string(),
        })
    }

    /// The block's first line (`resource "aws_x" "y" {`), for findings about a missing
    /// attribute: pointing at the whole block would underline dozens of lines.
    pub fn block_head(&self, instance: &Instance) -> Option<Location> {
        let file = self.sources.get(instance.span.file)?;
        let range = instance.span.range();
        let text = file.text.get(range.clone())?;
        let head = text.find('\n').unwrap_or(text.len());
        self.location(Span::new(
            instance.span.file,
            range.start..range.start + head,
        ))
    }

    /// An attribute's value expression, or the block head when it is not set.
    pub fn attribute(&self, instance: &Instance, path: &str) -> Option<Location> {
        match instance.attribute_spans.get(path) {
            Some(span) => self.location(*span),
            None => self.block_head(instance),
        }
    }

    /// A byte range of an evaluated string, mapped back into the source (inside a
    /// heredoc too); falls back to the attribute when the string was computed.
    pub fn in_string(
        &self,
        text: &Str,
        range: std::ops::Range<usize>,
        instance: &Instance,
        path: &str,
    ) -> Option<Location> {
        let start = text.source_of(range.start);
        let last = text.source_of(range.end.saturating_sub(1).max(range.start));
        match (start, last) {
            (Some((file, start)), Some((last_file, last)))
                if file == last_file && last >= start =>
            {
                // The last character may be written as an escape (`\"` in an HCL or JSON
                // string): the range ends where the next character's source begins, or, at
                // the end of the string, after the escape.
                let next = text
                    .source_of(range.end)
                    .filter(|(f, n)| *f == file && *n > last && *n - last <= 6)
                    .map(|(_, n)| n);
                let source = self.sources.get(file).map_or("", |f| &f.text);
                let width = match source.get(last..).map(|s| s.as_bytes()) {
                    Some([b'\\', b'u', ..]) => 6,
                    Some([b'\\', _, ..]) => 2,
                    _ => text.text[range.end.saturating_sub(1).max(range.start)..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8),
                };
                self.location(Span::new(file, start..next.unwrap_or(last + width)))
            }
            _ => self.attribute(instance, path),
        }
    }
}

/// Whether rewriting an expression of this instance's block changes this instance only: a
/// root-module resource without `count`/`for_each` (a module's block serves every caller).
pub fn rewrites_only_itself(instance: &Instance) -> bool {
    instance.key.is_none() && instance.module.is_empty()
}

/// The location of a source span: display path, byte range, lines and columns.
pub fn span_location(sources: &SourceMap, span: Span) -> Option<Location> {
    let file = sources.get(span.file)?;
    let range = span.range();
    let mut end = range.end.min(file.text.len());
    let start = range.start.min(end);
    // A span that ends a CRLF line ends before the `\r`, as it would with LF.
    while end > start && file.text.as_bytes().get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    let (line, column) = file.lines.line_col(&file.text, start);
    let (end_line, end_column) = file.lines.line_col(&file.text, end);
    Some(Location {
        path: file.display.clone(),
        line,
        column,
        end_line,
        end_column,
        start,
        end,
    })
}

/// A finding of `defect` about `instance`: its rule id and level come from the registry
/// (a control-scoped defect is chain-wide until [`Finding::scope`] puts it under a control).
pub fn finding(defect: Defect, message: String, instance: Option<&Instance>) -> Finding {
    let mut f = Finding::new(defect, message);
    f.resource = instance.map(|i| i.address.clone());
    f
}
