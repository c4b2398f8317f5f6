//! Source texts, byte spans and line/column lookup.

use std::path::PathBuf;

/// Index of a file in [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct FileId(pub u32);

/// A byte range inside one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: clamp(range.start),
            end: clamp(range.end),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Byte offsets where lines start, for 1-based line/column lookup; and how many characters
/// start before every [`CHUNK`]-th byte, so a column on a line of megabytes (a plan written
/// on one line) costs at most one chunk, not the whole line.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    chars_before: Vec<u32>,
}

const CHUNK: usize = 4096;

/// Characters that start in `bytes` (every byte but UTF-8 continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(clamp(i + 1));
            }
        }
        let mut chars_before = Vec::with_capacity(text.len() / CHUNK + 1);
        let mut count = 0;
        for chunk in text.as_bytes().chunks(CHUNK) {
            chars_before.push(clamp(count));
            count += char_starts(chunk);
        }
        LineIndex {
            starts,
            chars_before,
        }
    }

    /// Characters that start before byte `offset`.
    fn chars_upto(&self, text: &str, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        let before = self.chars_before.get(chunk).map_or(0, |&n| n as usize);
        before
            + text
                .as_bytes()
                .get(chunk * CHUNK..offset)
                .map_or(0, char_starts)
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&clamp(offset)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0) as usize;
        let col = self.chars_upto(text, offset) - self.chars_upto(text, start);
        (line + 1, col + 1)
    }
}

/// One loaded file: its path (absolute and relative to the scanned root) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Path shown to users: relative to the scanned root, `/`-separated.
    pub display: String,
    /// Shared with the parser, which reads it while other files are being evaluated.
    pub text: std::sync::Arc<str>,
    pub lines: LineIndex,
}

/// All files loaded, addressed by [`FileId`], and the files met while loading that could
/// not be read (each with why), so that none is passed over without a word.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    by_path: std::collections::HashMap<PathBuf, FileId>,
    skipped: Vec<crate::discover::Skipped>,
}

impl SourceMap {
    /// Records a file (or module directory) that is not analysed, and why.
    pub fn skip(&mut self, skipped: crate::discover::Skipped) {
        if !self.skipped.contains(&skipped) {
            self.skipped.push(skipped);
        }
    }

    /// The files recorded by [`SourceMap::skip`], taken out.
    pub fn take_skipped(&mut self) -> Vec<crate::discover::Skipped> {
        std::mem::take(&mut self.skipped)
    }

    pub fn add(
        &mut self,
        path: PathBuf,
        display: String,
        text: impl Into<std::sync::Arc<str>>,
    ) -> FileId {
        let text = text.into();
        let lines = LineIndex::new(&text);
        let id = FileId(clamp(self.files.len()));
        self.by_path.entry(path.clone()).or_insert(id);
        self.files.push(SourceFile {
            path,
            display,
            text,
            lines,
        });
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn find(&self, path: &std::path::Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(clamp(i)), f))
    }

    /// `path:line:col` of the start of a span.
    pub fn location(&self, span: Span) -> Location {
        match self.get(span.file) {
            Some(f) => {
                let (line, column) = f.lines.line_col(&f.text, span.start as usize);
                Location {
                    file: f.display.clone(),
                    line,
                    column,
                }
            }
            None => Location {
                file: String::from("<unknown>"),
                line: 0,
                column: 0,
            },
        }
    }
}

/// A human-facing position.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Maps byte offsets of a decoded string back to byte offsets of its source.
///
/// Anchors are `(value offset, source offset)` pairs, sorted; between anchors the mapping is
/// linear. Escapes and heredoc dedent break linearity, so each one starts a new anchor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetMap {
    pub file: Option<FileId>,
    anchors: Vec<(u32, u32)>,
}

impl OffsetMap {
    pub fn new(file: FileId) -> OffsetMap {
        OffsetMap {
            file: Some(file),
            anchors: Vec::new(),
        }
    }

    /// A map where value byte `i` is source byte `start + i`.
    pub fn linear(file: FileId, start: usize) -> OffsetMap {
        let mut m = OffsetMap::new(file);
        m.push(0, start);
        m
    }

    /// Records that value byte `value` comes from source byte `src`.
    pub fn push(&mut self, value: usize, src: usize) {
        let (v, s) = (clamp(value), clamp(src));
        if let Some(&(lv, ls)) = self.anchors.last() {
            // Skip anchors that the linear rule already implies.
            if v >= lv && s >= ls && v - lv == s - ls {
                return;
            }
            if v <= lv {
                self.anchors.pop();
            }
        }
        self.anchors.push((v, s));
    }

    pub fn lookup(&self, value: usize) -> Option<usize> {
        let v = clamp(value);
        let i = match self.anchors.binary_search_by_key(&v, |a| a.0) {
            Ok(i) => i,
            Err(0) => return None,
            Err(i) => i - 1,
        };
        let (av, asrc) = self.anchors.get(i)?;
        Some((asrc + (v - av)) as usize)
    }

    /// The map of the value with its first `n` bytes removed.
    pub fn shift_left(&self, n: usize) -> OffsetMap {
        let mut m = OffsetMap {
            file: self.file,
            anchors: Vec::new(),
        };
        if let Some(s) = self.lookup(n) {
            m.push(0, s);
        }
        for &(v, s) in &self.anchors {
            if v as usize > n {
                m.push(v as usize - n, s as usize);
            }
        }
        m
    }

    /// Shifts value offsets right by `n` (the string now starts at byte `n` of a larger one).
    pub fn shift_right(&self, n: usize) -> OffsetMap {
        OffsetMap {
            file: self.file,
            anchors: self
                .anchors
                .iter()
                .map(|&(v, s)| (v.saturating_add(clamp(n)), s))
                .collect(),
        }
    }

    /// Composes with an outer map: our source offsets are value offsets of `outer`.
    pub fn compose(&self, outer: &OffsetMap) -> OffsetMap {
        let mut m = OffsetMap {
            file: outer.file,
            anchors: Vec::new(),
        };
        for (i, &(v, s)) in self.anchors.iter().enumerate() {
            if let Some(o) = outer.lookup(s as usize) {
                m.push(v as usize, o);
            }
            // The outer map's own breaks inside this linear run.
            let run_end = self.anchors.get(i + 1).map(|a| s + (a.0 - v));
            let first = outer.anchors.partition_point(|a| a.0 <= s);
            for &(os, oo) in &outer.anchors[first..] {
                if run_end.is_some_and(|e| os >= e) {
                    break;
                }
                m.push((v + (os - s)) as usize, oo as usize);
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col() {
        let t = "ab\ncdé\nx";
        let li = LineIndex::new(t);
        assert_eq!(li.line_col(t, 0), (1, 1));
        assert_eq!(li.line_col(t, 3), (2, 1));
        assert_eq!(li.line_col(t, 7), (2, 4));
        assert_eq!(li.line_col(t, 8), (3, 1));
    }

    #[test]
    fn offset_map() {
        let mut m = OffsetMap::new(FileId(0));
        m.push(0, 10);
        m.push(1, 11);
        m.push(2, 14); // an escape took 3 extra bytes
        assert_eq!(m.lookup(0), Some(10));
        assert_eq!(m.lookup(1), Some(11));
        assert_eq!(m.lookup(3), Some(15));
    }
}
