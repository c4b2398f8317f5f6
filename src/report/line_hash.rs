//! SARIF `partialFingerprints.primaryLocationLineHash`, the value GitHub code scanning
//! combines with the repository, the file path and the rule to identify an alert.
//!
//! GitHub's upload action (`github/codeql-action/upload-sarif`, `src/fingerprints.ts`)
//! computes it when a result has none, and warns when a supplied one differs from its own.
//! We compute the same value from the same text, so a log uploaded any other way (the REST
//! API) identifies its alerts the same way. What it is: for the first line of the primary
//! location, a polynomial hash (base 37, modulo 2^64) of the next 100 characters of the
//! file counted from that line's start, skipping spaces and tabs, with CR LF and CR read as
//! LF, past the end a 0xFFFF then zeros; as lowercase hexadecimal without leading zeros,
//! then `:N` where N counts the lines of the file with that hash so far (the first is 1).
//! Characters are UTF-16 code units, as in JavaScript.
//!
//! So an alert survives lines added or removed elsewhere in the file and a change of
//! indentation, but not a move to another file or an edit within those 100 characters.

use std::collections::HashMap;

const WINDOW: usize = 100;
const BASE: u64 = 37;
const END: u64 = 0xFFFF;

/// The hash of every line of `text`, by line number (index 0 is line 1).
pub fn line_hashes(text: &str) -> Vec<String> {
    // The characters that count, and where each line starts among them.
    let mut chars: Vec<u64> = Vec::with_capacity(text.len() + WINDOW + 1);
    let mut starts: Vec<usize> = Vec::new();
    let mut line_start = true;
    let mut after_cr = false;
    let mut units = [0u16; 2];
    for c in text.chars() {
        for &unit in c.encode_utf16(&mut units).iter() {
            let mut unit = u64::from(unit);
            if unit == u64::from(b' ') || unit == u64::from(b'\t') || (after_cr && unit == 10) {
                after_cr = false;
                continue;
            }
            after_cr = unit == 13;
            if after_cr {
                unit = 10;
            }
            if line_start {
                starts.push(chars.len());
            }
            line_start = unit == 10;
            chars.push(unit);
        }
    }
    // The end of the file is one more character; after a final line break it starts a line,
    // as GitHub counts it.
    if line_start {
        starts.push(chars.len());
    }
    chars.push(END);
    chars.resize(chars.len() + WINDOW, 0);
    let mut seen: HashMap<u64, usize> = HashMap::new();
    starts
        .into_iter()
        .map(|start| {
            let hash = chars[start..start + WINDOW]
                .iter()
                .fold(0u64, |h, &c| h.wrapping_mul(BASE).wrapping_add(c));
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            format!("{hash:x}:{n}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, written out: sum of c[i] * 37^(99 - i) over the window.
    fn by_definition(window: &[u64]) -> String {
        let mut total: u64 = 0;
        for (i, c) in window.iter().enumerate() {
            let power = (0..WINDOW - 1 - i).fold(1u64, |p, _| p.wrapping_mul(BASE));
            total = total.wrapping_add(c.wrapping_mul(power));
        }
        format!("{total:x}")
    }

    #[test]
    fn one_line_is_its_characters_then_the_end_then_zeros() {
        let mut window = vec![u64::from(b'a'), u64::from(b'b'), 10, END];
        window.resize(WINDOW, 0);
        assert_eq!(
            line_hashes("a b\n"),
            [format!("{}:1", by_definition(&window)), {
                let mut end = vec![END];
                end.resize(WINDOW, 0);
                format!("{}:1", by_definition(&end))
            }]
        );
    }

    #[test]
    fn line_endings_indentation_and_lines_elsewhere_do_not_matter() {
        let lf = line_hashes("x = 1\n  pattern = \"{ $.a = 1 }\"\ny\n");
        let crlf = line_hashes("x = 1\r\n\tpattern = \"{ $.a = 1 }\"\r\ny\r\n");
        let cr = line_hashes("x = 1\rpattern = \"{ $.a = 1 }\"\ry\r");
        assert_eq!(lf, crlf);
        assert_eq!(lf, cr);
        let above = line_hashes("# added\n\nx = 1\n  pattern = \"{ $.a = 1 }\"\ny\n");
        assert_eq!(above[3], lf[1]);
        let edited = line_hashes("x = 1\n  pattern = \"{ $.a = 2 }\"\ny\n");
        assert_ne!(edited[1], lf[1]);
    }

    #[test]
    fn equal_lines_are_told_apart_by_their_count() {
        let text = "a\n".repeat(WINDOW + 3);
        let hashes = line_hashes(&text);
        // Far from the end, every line sees the same 100 characters.
        assert!(hashes[0].ends_with(":1"));
        let (hash, _) = hashes[0].split_once(':').unwrap_or_default();
        assert_eq!(hashes[1], format!("{hash}:2"));
        assert_eq!(hashes[2], format!("{hash}:3"));
    }

    #[test]
    fn characters_are_utf16_units() {
        // U+1F600 is two UTF-16 units: the line holds them, a line break and the end.
        let mut window = vec![0xD83D, 0xDE00, 10, END];
        window.resize(WINDOW, 0);
        assert_eq!(
            line_hashes("😀\n")[0],
            format!("{}:1", by_definition(&window))
        );
    }
}
