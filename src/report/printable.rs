//! Text from the scanned tree made safe for a terminal. A pull request controls file
//! contents, names and values; an ESC or OSC sequence printed as is could rewrite the
//! screen, hide findings or forge hyperlinks, and a bidirectional control (U+202E) makes
//! a line read differently from what it holds. Every C0 control (but newline and tab, and
//! a carriage return before a newline), DEL, every C1 control and every bidirectional
//! control is shown as an escape (`\x1b`, `\u{9b}`, `\u{202e}`) instead; offsets into the
//! text are mapped so snippets still point at the right place.

use std::borrow::Cow;
use std::fmt::Write;

/// True for a character that must not reach a terminal as is.
fn is_control(c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '\t' => false,
        '\r' => next != Some('\n'),
        c => crate::pattern::is_hidden_control(c),
    }
}

fn escape_into(out: &mut String, c: char) {
    let code = u32::from(c);
    let _ = if code < 0x80 {
        write!(out, "\\x{code:02x}")
    } else {
        write!(out, "\\u{{{code:x}}}")
    };
}

/// `text` with its control characters escaped (borrowed when there are none).
pub fn printable(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars().peekable();
    let mut first = None;
    let mut at = 0;
    while let Some(c) = chars.next() {
        if is_control(c, chars.peek().copied()) {
            first = Some(at);
            break;
        }
        at += c.len_utf8();
    }
    let Some(first) = first else {
        return Cow::Borrowed(text);
    };
    Cow::Owned(Printable::new_from(text, first).text)
}

/// A text with its control characters escaped, and where its offsets moved.
#[derive(Debug, Clone)]
pub struct Printable {
    pub text: String,
    /// For each escaped character: its offset in the original and the bytes added by it
    /// and every escape before it.
    moves: Vec<(usize, usize)>,
}

impl Printable {
    pub fn new(text: &str) -> Printable {
        Printable::new_from(text, 0)
    }

    /// Escapes `text`, whose bytes before `start` need none.
    fn new_from(text: &str, start: usize) -> Printable {
        let mut out = String::with_capacity(text.len() + 16);
        out.push_str(&text[..start]);
        let mut moves = Vec::new();
        let mut added = 0;
        let mut chars = text[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_control(c, chars.peek().map(|(_, n)| *n)) {
                let before = out.len();
                escape_into(&mut out, c);
                added += out.len() - before - c.len_utf8();
                moves.push((start + i, added));
            } else {
                out.push(c);
            }
        }
        Printable { text: out, moves }
    }

    /// Where a byte offset of the original text is in the escaped text.
    pub fn offset(&self, original: usize) -> usize {
        let before = self.moves.partition_point(|(at, _)| *at < original);
        original
            + before
                .checked_sub(1)
                .and_then(|i| self.moves.get(i))
                .map_or(0, |(_, added)| *added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_maps_offsets() {
        let text = "a\u{1b}]8;;x\u{7}b\r\nc\u{9b}d\re\u{202e}f\u{2066}\u{61c}é";
        let p = Printable::new(text);
        assert_eq!(
            p.text,
            "a\\x1b]8;;x\\x07b\r\nc\\u{9b}d\\x0de\\u{202e}f\\u{2066}\\u{61c}é"
        );
        assert_eq!(printable(text), p.text);
        assert!(matches!(printable("plain\ttext\n"), Cow::Borrowed(_)));
        // Every character that is kept is found at its mapped offset.
        for (i, c) in text.char_indices() {
            if !is_control(c, text[i + c.len_utf8()..].chars().next()) {
                assert_eq!(p.text[p.offset(i)..].chars().next(), Some(c), "at {i}");
            }
        }
        assert_eq!(p.offset(text.len()), p.text.len());
    }
}
