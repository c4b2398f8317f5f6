//! What a check reports: one defect of one link of the chain, with where it is, what will
//! go wrong at run time, and how to fix it.

use std::fmt;

use super::{Control, Defect};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "note" => Some(Level::Note),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a source file: a path relative to the scanned root (forward slashes), the
/// byte range, and 1-based line/column (columns count characters) of both ends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub start: usize,
    pub end: usize,
}

impl Location {
    /// Computes lines and columns of `start..end` in `text`.
    pub fn in_text(path: impl Into<String>, text: &str, start: usize, end: usize) -> Location {
        let end = end.min(text.len()).max(start.min(text.len()));
        let start = start.min(end);
        let (line, column) = line_column(text, start);
        let (end_line, end_column) = line_column(text, end);
        Location {
            path: path.into(),
            line,
            column,
            end_line,
            end_column,
            start,
            end,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Another link of the chain that the finding involves.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// A replacement that fixes the finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fix {
    pub description: String,
    pub location: Location,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable kebab-case rule id: a control slug, or a chain-wide rule such as
    /// `trail-not-multi-region`.
    pub rule: String,
    /// The control this finding breaks, when it breaks one.
    pub control: Option<String>,
    /// The finer kind of defect (`alarm-no-actions`), stable like the rule id.
    pub defect: String,
    pub level: Level,
    pub message: String,
    /// The specific fact shown under the span (the events missed, the value unknown), when
    /// there is one more precise than the defect's name.
    pub label: Option<String>,
    /// Where to point; `None` for a finding about the configuration as a whole.
    pub location: Option<Location>,
    pub related: Vec<Related>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The Terraform address of the resource the finding is about (for fingerprints).
    pub resource: Option<String>,
    /// Set when an inline `trailwatch:ignore` covers the finding.
    pub suppression: Option<super::suppress::Suppression>,
    /// Set when the finding is in the `--baseline` file: known, not new.
    pub baselined: bool,
    /// For a chain-wide finding, the controls it keeps from passing (a topic nobody
    /// subscribes to, for the controls whose alarms notify it): `--rule` keeps it for each.
    pub controls: Vec<String>,
    /// The resources whose own defect is the cause of this one (the topic behind an alarm
    /// that notifies it): the check folds this finding into theirs, so one cause is one
    /// finding. Never in a report.
    pub caused_by: Vec<String>,
}

impl Finding {
    /// A finding of `defect` with its registry rule id and level, and nothing else set yet.
    pub fn new(defect: Defect, message: String) -> Finding {
        Finding {
            rule: defect.rule_id(None),
            control: None,
            defect: defect.id().to_string(),
            level: defect.fixed_level(),
            message,
            label: None,
            location: None,
            related: Vec::new(),
            help: None,
            fix: None,
            resource: None,
            suppression: None,
            baselined: false,
            controls: Vec::new(),
            caused_by: Vec::new(),
        }
    }

    /// Puts the finding under `control`: its rule id, and the level the defect has there.
    pub fn scope(&mut self, control: &Control) {
        self.rule = control.id.clone();
        self.control = Some(control.id.clone());
        if let Some(defect) = Defect::from_id(&self.defect) {
            self.level = defect.level(control.severity);
        }
    }

    /// Identity that survives unrelated edits: rule, defect, resource — never lines.
    pub fn fingerprint(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.rule,
            self.defect,
            self.control.as_deref().unwrap_or("-"),
            self.resource.as_deref().unwrap_or("-")
        )
    }

    /// Sort key that makes output byte-identical from run to run.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.location
                .as_ref()
                .map(|l| (l.path.clone(), l.start, l.end)),
            self.rule.clone(),
            self.defect.clone(),
            self.message.clone(),
        )
    }
}

pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}
