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

/// Levenshtein distance, for "did you mean" suggestions (event names, rule ids, keys).
pub fn distance(a: &str, b: &str) -> usize {
    distance_up_to(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// The Levenshtein distance if it is at most `limit`: stops as soon as every entry of a row
/// exceeds it, since later rows never go below their predecessor's minimum.
pub fn distance_up_to(a: &str, b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        let mut smallest = row[0];
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            smallest = smallest.min(row[j + 1]);
            previous = current;
        }
        if smallest > limit {
            return None;
        }
    }
    Some(row[b.len()]).filter(|d| *d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook recurrence over the whole matrix, to compare the early exit against.
    fn full_matrix(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn known_distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance_up_to("kitten", "sitting", 2), None);
        assert_eq!(
            distance_up_to("RootAccountUsage", "RootAccountUsag", 2),
            Some(1)
        );
        assert_eq!(distance("", "abc"), 3);
    }

    proptest! {
        #[test]
        fn early_exit_agrees_with_the_full_matrix(a in "[a-cé]{0,12}", b in "[a-cé]{0,12}", limit in 0usize..8) {
            let full = full_matrix(&a, &b);
            prop_assert_eq!(distance(&a, &b), full);
            prop_assert_eq!(distance_up_to(&a, &b, limit), (full <= limit).then_some(full));
        }
    }
}
