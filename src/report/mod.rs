//! Findings → bytes: human diagnostics, JSON, SARIF 2.1.0, GitHub annotations; and the
//! rule documentation generated from the rule data.

pub mod docs;

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
