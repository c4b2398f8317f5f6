//! Findings → bytes: human diagnostics, JSON, SARIF 2.1.0, GitHub annotations, a Markdown job
//! summary; and the rule documentation generated from the rule data.

pub mod baseline;
pub mod docs;
pub mod github;
pub mod group;
pub mod human;
pub mod json;
pub mod line_hash;
pub mod printable;
pub mod sarif;
pub mod summary;

pub use printable::printable;

use std::collections::BTreeMap;

pub use crate::distance::{distance, distance_up_to};
pub use crate::rules::ControlStatus;
use crate::rules::{Finding, Level};

/// Everything a report needs: the sorted findings, each control's status, and the text
/// of the files the findings point into (for snippets).
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub controls: Vec<(String, ControlStatus)>,
    pub sources: BTreeMap<String, String>,
    /// Files analysed (for the summary line).
    pub files: usize,
    /// True when the configuration had nothing to check (no trail, no filters).
    pub nothing_to_check: bool,
    /// True when findings were compared with a `--baseline` file.
    pub baseline: bool,
    /// The scanned directory as given, when paths in findings are relative to it: SARIF
    /// and GitHub annotations prefix it, since both want paths from the repository root.
    pub base: Option<String>,
    /// Root modules checked, relative to the scanned path.
    pub roots: Vec<String>,
    /// Files passed over, with the reason (for `--verbose`).
    pub skipped: Vec<(String, String)>,
}

impl Report {
    /// Findings at `level` that count: neither suppressed nor in the baseline.
    pub fn count(&self, level: Level) -> usize {
        self.active().filter(|f| f.level == level).count()
    }

    /// Findings an inline suppression covers.
    pub fn suppressed(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.suppression.is_some())
            .count()
    }

    /// Findings the baseline holds that no suppression covers.
    pub fn baselined(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.suppression.is_none() && f.baselined)
            .count()
    }

    /// The run in one line: `17 error(s), 1 warning(s), 0 note(s) in 1 file(s)`, and how
    /// many are suppressed or in the baseline.
    pub fn counts(&self) -> String {
        let mut out = format!(
            "{} error(s), {} warning(s), {} note(s) in {} file(s)",
            self.count(Level::Error),
            self.count(Level::Warning),
            self.count(Level::Note),
            self.files
        );
        let (suppressed, baselined) = (self.suppressed(), self.baselined());
        if suppressed > 0 {
            out.push_str(&format!("; {suppressed} suppressed inline"));
        }
        if baselined > 0 {
            out.push_str(&format!("; {baselined} in the baseline"));
        }
        out
    }

    /// The findings that are neither suppressed inline nor in the baseline.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.suppression.is_none() && !f.baselined)
    }
}

/// FNV-1a: a stable 64-bit hash for fingerprints (never changes between releases or
/// platforms, unlike `DefaultHasher`).
pub fn stable_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
