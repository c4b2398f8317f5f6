//! A byte-level count of the syntax nodes a file will become, run before a parser builds
//! its tree. hcl-edit keeps about 200 bytes per node (decor, spans, owned strings), so a
//! 16 MiB file that is one tuple of 8 million elements needed 1.7 GB; counting first costs
//! one pass and no allocation, and refuses such a file before any tree exists.
//!
//! The count never undercounts what the parsers build: every identifier, number, string
//! start, interpolation or directive opening, and punctuation byte of code is one node;
//! literal text inside strings, heredocs and comments is not (the parsers keep a run of it
//! as one node).

/// Syntax nodes allowed in one file: five times the largest real configuration file seen
/// (1.6 MB; real files hold about one node per 8 bytes), and at most ≈ 330 MB of parser
/// tree (a tuple of traversals, the costliest node measured).
pub const MAX_FILE_NODES: usize = 1_000_000;

/// Syntax nodes allowed in all the files of one run together (every file of the tree,
/// modules included), counted in discovery order. The 10,000-file benchmark corpus holds
/// 2.1 million; what a node costs once parsed and evaluated is 25–140 bytes (measured: a
/// tuple of numbers the least, a tuple of templates `"${1}"` the most, 760 MB at this bound).
pub const MAX_TOTAL_NODES: usize = 4_000_000;

/// Texts longer than this are parsed one at a time (see [`one_large_at_a_time`]).
pub const LARGE_TEXT_BYTES: usize = 256 << 10;

static LARGE: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    /// This thread holds the turn already (a large JSON file lowering a large string).
    static HOLDS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The turn of one large text; given back when dropped.
pub struct Turn {
    lock: Option<std::sync::MutexGuard<'static, ()>>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        if self.lock.is_some() {
            HOLDS.with(|h| h.set(false));
        }
    }
}

/// For a text over [`LARGE_TEXT_BYTES`], a turn that excludes every other large text until
/// it is dropped: parser trees cost up to ≈ 300 bytes a node, so two files at
/// [`MAX_FILE_NODES`] on two threads would need twice the memory, and a machine with many
/// cores many times. Small texts (nearly every real file) still parse in parallel.
pub fn one_large_at_a_time(text: &str) -> Turn {
    let lock = (text.len() > LARGE_TEXT_BYTES && !HOLDS.with(std::cell::Cell::get)).then(|| {
        let guard = LARGE.lock().unwrap_or_else(|p| p.into_inner());
        HOLDS.with(|h| h.set(true));
        guard
    });
    Turn { lock }
}

/// Where a count went past its bound: the byte offset of the node that crossed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany {
    pub offset: usize,
}

/// The message of a file refused by [`MAX_FILE_NODES`], with what to do.
pub fn file_message() -> String {
    format!(
        "more than {MAX_FILE_NODES} syntax elements (values, names, operators) in one file: \
         trailwatch does not parse files this large, to keep its memory bounded; split the \
         file, or build a long list with `range` or a `for` expression instead of writing it out"
    )
}

/// Why a file that would take the run past [`MAX_TOTAL_NODES`] is not read.
pub fn total_message() -> String {
    format!(
        "with this file the run would hold more than {MAX_TOTAL_NODES} syntax elements, \
         as many as trailwatch analyses in one run (to keep its memory bounded); check the \
         directories of this tree in separate runs"
    )
}

/// Where the scanner is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// Expressions; `depth` counts the `{` opened inside an interpolation.
    Code { depth: usize, interpolation: bool },
    /// A quoted string.
    Quoted,
    /// A heredoc body ending at a line holding only the marker (bytes `start..end` of the
    /// text), or a template file (no marker: it ends with the text).
    Heredoc { marker: (usize, usize) },
}

/// Counts the syntax nodes of HCL `text` (a template when `template`), stopping at the
/// node past `limit`.
pub fn count_hcl(text: &str, template: bool, limit: usize) -> Result<usize, TooMany> {
    let b = text.as_bytes();
    let mut stack = vec![if template {
        Frame::Heredoc { marker: (0, 0) }
    } else {
        Frame::Code {
            depth: 0,
            interpolation: false,
        }
    }];
    let mut nodes = 0usize;
    let mut i = 0;
    let mut add = |at: usize| {
        nodes += 1;
        if nodes > limit {
            Err(TooMany { offset: at })
        } else {
            Ok(())
        }
    };
    while i < b.len() {
        let Some(&frame) = stack.last() else { break };
        let c = b[i];
        match frame {
            Frame::Code {
                depth,
                interpolation,
            } => match c {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b'#' => i = line_end(b, i),
                b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2);
                }
                b'"' => {
                    add(i)?;
                    stack.push(Frame::Quoted);
                    i += 1;
                }
                b'<' if b.get(i + 1) == Some(&b'<') => {
                    add(i)?;
                    match heredoc_marker(b, i + 2) {
                        Some((marker, body)) => {
                            stack.push(Frame::Heredoc { marker });
                            i = body;
                        }
                        None => i += 2,
                    }
                }
                b'{' => {
                    add(i)?;
                    set_depth(&mut stack, depth + 1);
                    i += 1;
                }
                b'}' => {
                    add(i)?;
                    if depth == 0 && interpolation {
                        stack.pop();
                    } else {
                        set_depth(&mut stack, depth.saturating_sub(1));
                    }
                    i += 1;
                }
                // A name (`-` may continue one) or a number (`1-1` is three nodes).
                c if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                    add(i)?;
                    let name = !c.is_ascii_digit();
                    i += 1;
                    while i < b.len()
                        && (b[i].is_ascii_alphanumeric()
                            || b[i] >= 0x80
                            || (name && matches!(b[i], b'_' | b'-')))
                    {
                        i += 1;
                    }
                }
                _ => {
                    add(i)?;
                    i += 1;
                }
            },
            Frame::Quoted if c == b'\\' => i += 2,
            Frame::Quoted if c == b'"' || c == b'\n' => {
                stack.pop();
                i += 1;
            }
            Frame::Heredoc { marker }
                if (i == 0 || b[i - 1] == b'\n')
                    && marker.1 > marker.0
                    && ends_heredoc(b, i, &b[marker.0..marker.1]) =>
            {
                stack.pop();
                i = line_end(b, i);
            }
            // Literal text: an interpolation or directive opens code; `$${` and `%%{` are
            // escapes (counted anyway); a heredoc line may be a node of its own.
            Frame::Quoted | Frame::Heredoc { .. } => {
                if matches!(c, b'$' | b'%') && b.get(i + 1) == Some(&b'{') {
                    add(i)?;
                    stack.push(Frame::Code {
                        depth: 0,
                        interpolation: true,
                    });
                    i += 2;
                } else if matches!(c, b'$' | b'%')
                    && b.get(i + 1) == Some(&c)
                    && b.get(i + 2) == Some(&b'{')
                {
                    add(i)?;
                    i += 3;
                } else {
                    if c == b'\n' {
                        add(i)?;
                    }
                    i += 1;
                }
            }
        }
    }
    Ok(nodes)
}

fn set_depth(stack: &mut [Frame], new: usize) {
    if let Some(Frame::Code { depth, .. }) = stack.last_mut() {
        *depth = new;
    }
}

/// The offset of the end of the line at `i` (its `\n`, or the end of the text).
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// After `<<`: `-`? then the marker and a newline; the marker's range and where the body
/// starts.
fn heredoc_marker(b: &[u8], mut i: usize) -> Option<((usize, usize), usize)> {
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    if i == start {
        return None;
    }
    let end = i;
    while b.get(i) == Some(&b' ') || b.get(i) == Some(&b'\t') || b.get(i) == Some(&b'\r') {
        i += 1;
    }
    (b.get(i) == Some(&b'\n')).then_some(((start, end), i + 1))
}

/// The line at `i` holds only `marker` (leading blanks allowed, for `<<-`).
fn ends_heredoc(b: &[u8], i: usize, marker: &[u8]) -> bool {
    let line = &b[i..line_end(b, i)];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let start = line
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t'))
        .unwrap_or(line.len());
    &line[start..] == marker
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> usize {
        count_hcl(text, false, usize::MAX).unwrap_or(usize::MAX)
    }

    #[test]
    fn counts_code_not_literal_text() {
        assert_eq!(n("a = 1"), 3);
        assert_eq!(n("a = [1, 2]"), 7);
        // A string is one node however long; each interpolation adds its own.
        assert_eq!(n("a = \"hello, world [1,2,3]\""), 3);
        assert_eq!(n("a = \"${b}-${c}\""), 9);
        // Comments count nothing.
        assert_eq!(n("# a, b, c\n// [1,2]\n/* {} */ a = 1"), 3);
        // A heredoc: one node per line, interpolations inside counted.
        assert_eq!(n("a = <<EOT\n[1,2,3]\n${x}\nEOT\nb = 1"), 3 + 2 + 3 + 3);
        assert_eq!(n("a = <<-EOT\n  x\n  EOT\n"), 3 + 1);
        assert_eq!(
            count_hcl("x ${a} %{if b}y%{endif}", true, usize::MAX),
            Ok(10)
        );
        // Names may hold `-`; numbers end at it.
        assert_eq!(n("a = b-c"), 3);
        assert_eq!(n("a = 1-1-1"), 7);
    }

    #[test]
    fn stops_at_the_node_past_the_limit() {
        let text = "a = [1,1,1,1]";
        assert_eq!(count_hcl(text, false, 5), Err(TooMany { offset: 7 }));
        assert_eq!(count_hcl(text, false, 11), Ok(11));
    }
}
