//! Edit distance for "did you mean" suggestions (event names, rule ids, keys, arguments):
//! a leaf every stage may use.

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
