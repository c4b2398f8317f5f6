//! Human output: one miette report per finding with the source snippet (missing controls
//! at one place grouped into one), then a summary of each control and the counts.

use std::fmt::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::printable::{Printable, printable};
use super::{ControlStatus, Report};
use crate::rules::{Finding, Level};

pub struct Options {
    pub color: bool,
    pub quiet: bool,
}

struct Rendered<'a> {
    finding: &'a Finding,
    source: Option<NamedSource<String>>,
    /// Where the finding's offsets moved in `source`, whose control characters are escaped.
    moved: Option<&'a Printable>,
    help: Option<String>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let f = self.finding;
        Some(Box::new(if f.rule == f.defect {
            f.rule.clone()
        } else {
            format!("{}::{}", f.rule, f.defect)
        }))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
            Level::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let primary = self.finding.location.as_ref()?;
        let span = |start: usize, end: usize| {
            let (start, end) = match self.moved {
                Some(p) => (p.offset(start), p.offset(end)),
                None => (start, end),
            };
            (start, end.saturating_sub(start))
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(short_label(self.finding)),
            span(primary.start, primary.end),
        )];
        for (related, message) in related_by_place(self.finding) {
            if in_snippet(primary, &related.location) {
                labels.push(LabeledSpan::new_with_span(
                    Some(message),
                    span(related.location.start, related.location.end),
                ));
            }
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// A snippet shows whole lines: one of a plan written on a single line (megabytes) says
/// nothing and floods the terminal, so past this length only `path:line:column` is shown.
const MAX_SNIPPET_LINE: usize = 1_000;

fn snippet_too_long(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    end - start > MAX_SNIPPET_LINE
}

/// The finding with every text that comes from the scanned tree (message, help, fix, paths,
/// related messages) made safe for a terminal.
fn printable_finding(f: &Finding) -> Finding {
    let text = |s: &str| printable(s).into_owned();
    let mut f = f.clone();
    f.message = text(&f.message);
    f.help = f.help.as_deref().map(text);
    if let Some(fix) = &mut f.fix {
        fix.description = text(&fix.description);
        fix.replacement = text(&fix.replacement);
    }
    if let Some(l) = &mut f.location {
        l.path = text(&l.path);
    }
    for r in &mut f.related {
        r.message = text(&r.message);
        r.location.path = text(&r.location.path);
    }
    f
}

fn short_label(f: &Finding) -> String {
    f.label
        .clone()
        .unwrap_or_else(|| f.defect.replace('-', " "))
}

fn help_text(f: &Finding) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(help) = &f.help {
        lines.push(help.clone());
    }
    if let Some(fix) = &f.fix {
        lines.push(format!("fix: {}: {}", fix.description, fix.replacement));
    }
    for (r, message) in related_by_place(f) {
        if !f
            .location
            .as_ref()
            .is_some_and(|p| in_snippet(p, &r.location))
        {
            lines.push(format!("related: {}: {message}", r.location));
        }
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Whether a related location is labelled in the primary's snippet: in the same file and
/// a few lines away (a snippet shows every line between its labels, so a related location
/// 300 lines down is listed under help instead).
fn in_snippet(primary: &crate::rules::Location, related: &crate::rules::Location) -> bool {
    const NEAR: usize = 12;
    related.path == primary.path
        && related.line.abs_diff(primary.line) <= NEAR
        && (related.start, related.end) != (primary.start, primary.end)
}

/// Related locations, one per place: several at one place (the `for_each` instances of one
/// alarm block) show the first message and how many more there are.
fn related_by_place(f: &Finding) -> Vec<(&crate::rules::Related, String)> {
    let mut out: Vec<(&crate::rules::Related, usize)> = Vec::new();
    for r in &f.related {
        match out
            .iter_mut()
            .find(|(first, _)| first.location == r.location)
        {
            Some((_, more)) => *more += 1,
            None => out.push((r, 0)),
        }
    }
    out.into_iter()
        .map(|(r, more)| match more {
            0 => (r, r.message.clone()),
            n => (r, format!("{} (and {n} more here)", r.message)),
        })
        .collect()
}

pub fn render(report: &Report, options: &Options) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let mut out = String::new();
    let shown: Vec<&Finding> = report
        .active()
        .filter(|f| !(options.quiet && f.level == Level::Note))
        .collect();
    // Each source escaped once, however many findings point into it.
    let mut escaped: std::collections::HashMap<&str, Printable> = Default::default();
    for group in super::group::by_place(&shown) {
        let finding = match group.as_slice() {
            [one] => printable_finding(one),
            many if super::group::is_missing_control(many[0]) => {
                printable_finding(&super::group::missing_controls(many))
            }
            many => printable_finding(&super::group::same_place(many)),
        };
        let finding = &finding;
        let original = finding.location.as_ref().and_then(|l| {
            let (path, text) = report.sources.get_key_value(&l.path)?;
            (!snippet_too_long(text, l.start)).then_some((path.as_str(), text))
        });
        let moved = original
            .map(|(path, text)| &*escaped.entry(path).or_insert_with(|| Printable::new(text)));
        let source = original
            .zip(moved)
            .map(|((path, _), p)| NamedSource::new(printable(path), p.text.clone()));
        let rendered = Rendered {
            finding,
            source,
            moved,
            help: help_text(finding),
        };
        let mut text = String::new();
        if handler.render_report(&mut text, &rendered).is_err() {
            text = format!("{}: {}\n", finding.level, finding.message);
        }
        if let Some(l) = &finding.location {
            // miette shows `path:line:col` only with a snippet; say it on the first line.
            let _ = writeln!(out, "{l}");
        }
        out.push_str(&text);
    }
    if !options.quiet {
        out.push_str(&summary(report));
    }
    out
}

fn summary(report: &Report) -> String {
    let mut out = String::new();
    if report.nothing_to_check {
        let _ = writeln!(
            out,
            "nothing to check: no CloudTrail trail and no metric filter in {} file(s) (use --require to demand the controls)",
            report.files
        );
        return out;
    }
    let shown: Vec<_> = report
        .controls
        .iter()
        .filter(|(_, s)| *s != ControlStatus::Skipped)
        .collect();
    if !shown.is_empty() {
        out.push_str("\ncontrol                            status\n");
        for (id, status) in shown {
            let _ = writeln!(out, "{id:34} {}", status.as_str());
        }
    }
    let _ = writeln!(out, "\n{}", report.counts());
    out
}
