//! Findings → bytes: human diagnostics, JSON, SARIF 2.1.0, GitHub annotations; and the
//! rule documentation generated from the rule data.

pub mod baseline;
pub mod docs;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::collections::BTreeMap;

use crate::rules::{Finding, Level};

/// How one control fared in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ControlStatus {
    Pass,
    Fail,
    Unverifiable,
    /// Not selected (`--rule`, `--profile`).
    Skipped,
}

impl ControlStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Pass => "pass",
            ControlStatus::Fail => "fail",
            ControlStatus::Unverifiable => "unverifiable",
            ControlStatus::Skipped => "skipped",
        }
    }
}

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

/// Levenshtein distance, for "did you mean" suggestions (event names, rule ids, keys).
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            previous = current;
        }
    }
    row[b.len()]
}
