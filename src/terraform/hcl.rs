//! Lowers hcl-edit's tree (which keeps byte spans) to [`ast`](super::ast).

use hcl_edit::Span as _;
use hcl_edit::expr::{self as hx, Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{self as hs, BlockLabel, Structure};
use hcl_edit::template::{self as ht, Directive, Element, Strip};

use super::ast::{Attribute, BinOp, Block, Body, Expr, ExprKind, ForExpr, Part, Step, UnOp};
use super::nodes;
use super::source::{FileId, OffsetMap, Span};

/// A parse failure: byte offset plus the parser's message.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

pub fn parse_body(file: FileId, text: &str) -> Result<Body, ParseError> {
    parse_lowered(text, false, hcl_edit::parser::parse_body, |l, b| {
        Lower::new(file, text, l).body(b)
    })
}

/// Parses a template (for `templatefile` and JSON strings); spans are relative to `text`.
pub fn parse_template(file: FileId, text: &str) -> Result<Vec<Part>, ParseError> {
    parse_lowered(text, true, hcl_edit::parser::parse_template, |l, t| {
        Lower::new(file, text, l).template(t, Mode::Heredoc)
    })
}

/// Parses one expression (for `--var` values of non-string type and `.tfvars`).
pub fn parse_expr(file: FileId, text: &str) -> Result<Expr, ParseError> {
    parse_lowered(text, false, hcl_edit::parser::parse_expr, |l, e| {
        Lower::new(file, text, l).expr(e)
    })
}

/// Parses `text` with `parse` and lowers the tree; a large text waits for any other large
/// one to be done (see [`nodes::one_large_at_a_time`]), since hcl-edit's tree is many
/// times the text.
fn parse_lowered<T, U>(
    text: &str,
    template: bool,
    parse: impl Fn(&str) -> Result<T, hcl_edit::parser::Error>,
    lower: impl FnOnce(&Huge, &T) -> U,
) -> Result<U, ParseError> {
    let _turn = nodes::one_large_at_a_time(text);
    let (tree, huge) = parse_with_huge_numbers(text, template, parse)?;
    Ok(lower(&huge, &tree))
}

/// A number literal too large for f64 (`1e400`, 400 digits): its byte range and value.
type Huge = Vec<(std::ops::Range<usize>, f64)>;

/// Parses `text`; when that fails and the text holds number literals too large for f64
/// (which hcl-edit refuses, while Terraform's numbers are arbitrary precision), parses it
/// again with each such literal blanked to `0` and spaces (same length, so every span
/// holds), and returns the literals so the lowering gives them their value (infinite).
/// A text of more than [`nodes::MAX_FILE_NODES`] syntax nodes is refused before parsing.
fn parse_with_huge_numbers<T>(
    text: &str,
    template: bool,
    parse: impl Fn(&str) -> Result<T, hcl_edit::parser::Error>,
) -> Result<(T, Huge), ParseError> {
    bounded(text, template)?;
    let error = match parse(text) {
        Ok(t) => return Ok((t, Vec::new())),
        Err(e) => e,
    };
    let huge = huge_numbers(text);
    if !huge.is_empty() {
        let mut patched = text.as_bytes().to_vec();
        for (r, _) in &huge {
            patched[r.start] = b'0';
            patched[r.start + 1..r.end].fill(b' ');
        }
        if let Ok(t) = std::str::from_utf8(&patched)
            .map_err(|_| ())
            .and_then(|p| parse(p).map_err(|_| ()))
        {
            return Ok((t, huge));
        }
    }
    Err(ParseError {
        offset: line_col_offset(text, error.location().line(), error.location().column())
            .unwrap_or_else(|| error.location().offset()),
        message: error.message().to_string(),
    })
}

/// Refuses a text past [`nodes::MAX_FILE_NODES`] syntax nodes, at the node that crosses it.
pub(crate) fn bounded(text: &str, template: bool) -> Result<(), ParseError> {
    nodes::count_hcl(text, template, nodes::MAX_FILE_NODES)
        .map(drop)
        .map_err(|too_many| ParseError {
            offset: too_many.offset,
            message: nodes::file_message(),
        })
}

/// Decimal literals (`123`, `1.5`, `2e10`) not inside a word whose value overflows f64.
fn huge_numbers(text: &str) -> Huge {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && word(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        i = digits(i);
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i = digits(i + 1);
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            let mut j = i + 1;
            if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                j += 1;
            }
            if j < b.len() && b[j].is_ascii_digit() {
                i = digits(j);
            }
        }
        if i < b.len() && word(b[i]) {
            continue;
        }
        if let Some(n) = text[start..i]
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_infinite())
        {
            out.push((start..i, n));
        }
    }
    out
}

fn line_col_offset(text: &str, line: usize, col: usize) -> Option<usize> {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let c = l
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(l.len(), |(b, _)| b);
            return Some(off + c);
        }
        off += l.len();
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Quoted,
    Heredoc,
}

struct Lower<'a> {
    file: FileId,
    text: &'a str,
    /// Number literals hcl-edit saw blanked (see [`parse_with_huge_numbers`]).
    huge: &'a [(std::ops::Range<usize>, f64)],
}

impl<'a> Lower<'a> {
    fn new(file: FileId, text: &'a str, huge: &'a [(std::ops::Range<usize>, f64)]) -> Lower<'a> {
        Lower { file, text, huge }
    }

    /// The value of a number literal, also one too large for f64 (then infinite).
    fn number(&self, n: &hcl_edit::Number, range: Option<std::ops::Range<usize>>) -> f64 {
        let start = range.map_or(usize::MAX, |r| r.start);
        match self.huge.iter().find(|(r, _)| r.start == start) {
            Some((_, v)) => *v,
            None => n.as_f64().unwrap_or(f64::NAN),
        }
    }

    /// True when `range` holds a blanked literal: its text is the source's, not the parser's.
    fn holds_huge(&self, range: &std::ops::Range<usize>) -> bool {
        self.huge
            .iter()
            .any(|(r, _)| r.start < range.end && range.start < r.end)
    }

    fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        Span::new(self.file, r.unwrap_or(0..0))
    }

    fn body(&self, body: &hs::Body) -> Body {
        let mut out = Body::default();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => out.attributes.push(Attribute {
                    name: a.key.as_str().to_string(),
                    expr: self.expr(&a.value),
                    span: self.span(a.span()),
                }),
                Structure::Block(b) => out.blocks.push(Block {
                    kind: b.ident.as_str().to_string(),
                    labels: b
                        .labels
                        .iter()
                        .map(|l| match l {
                            BlockLabel::Ident(i) => i.as_str().to_string(),
                            BlockLabel::String(s) => s.value().clone(),
                        })
                        .collect(),
                    body: self.body(&b.body),
                    span: self.span(b.span()),
                }),
            }
        }
        out
    }

    fn expr(&self, e: &Expression) -> Expr {
        let span = self.span(e.span());
        let kind = match e {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(self.number(n.value(), n.span())),
            Expression::String(s) => {
                let (text, map) = self.literal(s.span(), s.value(), Mode::Quoted);
                ExprKind::Template(vec![Part::Literal { text, map }])
            }
            Expression::Array(a) => ExprKind::Tuple(a.iter().map(|x| self.expr(x)).collect()),
            Expression::Object(o) => ExprKind::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => {
                                let ks = self.span(i.span());
                                Expr::new(
                                    ExprKind::Template(vec![Part::Literal {
                                        text: i.as_str().to_string(),
                                        map: OffsetMap::linear(self.file, ks.start as usize),
                                    }]),
                                    ks,
                                )
                            }
                            ObjectKey::Expression(x) => self.expr(x),
                        };
                        (key, self.expr(v.expr()))
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                ExprKind::Template(self.elements(t.iter(), Mode::Quoted))
            }
            Expression::HeredocTemplate(h) => {
                // hcl-edit dedents `<<-` heredocs only at the top level of the template;
                // Terraform dedents every line, also inside directives, so redo it here.
                let flush = span.start < span.end
                    && self
                        .text
                        .get(span.start as usize..)
                        .is_some_and(|t| t.starts_with("<<-"));
                let mut parts = self.template(&h.template, Mode::Heredoc);
                if flush {
                    flush_heredoc(&mut parts);
                }
                ExprKind::Template(parts)
            }
            Expression::Parenthesis(p) => return self.expr(p.inner()),
            Expression::Variable(v) => ExprKind::Var(v.as_str().to_string()),
            Expression::Conditional(c) => ExprKind::Cond(
                Box::new(self.expr(&c.cond_expr)),
                Box::new(self.expr(&c.true_expr)),
                Box::new(self.expr(&c.false_expr)),
            ),
            Expression::FuncCall(f) => {
                let mut name = String::new();
                for ns in &f.name.namespace {
                    name.push_str(ns.as_str());
                    name.push_str("::");
                }
                name.push_str(f.name.name.as_str());
                ExprKind::Call {
                    name,
                    args: f.args.iter().map(|a| self.expr(a)).collect(),
                    expand_final: f.args.expand_final(),
                }
            }
            Expression::Traversal(t) => {
                let steps = t
                    .operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::AttrSplat(_) => Step::AttrSplat,
                        TraversalOperator::FullSplat(_) => Step::FullSplat,
                        TraversalOperator::GetAttr(i) => Step::Attr(i.as_str().to_string()),
                        TraversalOperator::Index(x) => Step::Index(self.expr(x)),
                        TraversalOperator::LegacyIndex(n) => Step::Index(Expr::new(
                            ExprKind::Number(*n.value() as f64),
                            self.span(n.span()),
                        )),
                    })
                    .collect();
                ExprKind::Traversal(Box::new(self.expr(&t.expr)), steps)
            }
            Expression::UnaryOp(u) => ExprKind::Unary(
                match u.operator.value() {
                    hx::UnaryOperator::Neg => UnOp::Neg,
                    hx::UnaryOperator::Not => UnOp::Not,
                },
                Box::new(self.expr(&u.expr)),
            ),
            Expression::BinaryOp(b) => {
                use hx::BinaryOperator as O;
                let op = match b.operator.value() {
                    O::Eq => BinOp::Eq,
                    O::NotEq => BinOp::NotEq,
                    O::LessEq => BinOp::LessEq,
                    O::GreaterEq => BinOp::GreaterEq,
                    O::Less => BinOp::Less,
                    O::Greater => BinOp::Greater,
                    O::Plus => BinOp::Plus,
                    O::Minus => BinOp::Minus,
                    O::Mul => BinOp::Mul,
                    O::Div => BinOp::Div,
                    O::Mod => BinOp::Mod,
                    O::And => BinOp::And,
                    O::Or => BinOp::Or,
                };
                ExprKind::Binary(
                    op,
                    Box::new(self.expr(&b.lhs_expr)),
                    Box::new(self.expr(&b.rhs_expr)),
                )
            }
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| k.as_str().to_string()),
                value_var: f.intro.value_var.as_str().to_string(),
                collection: self.expr(&f.intro.collection_expr),
                key: f.key_expr.as_ref().map(|k| self.expr(k)),
                value: self.expr(&f.value_expr),
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr)),
                grouping: f.grouping,
            })),
        };
        Expr::new(kind, span)
    }

    fn template(&self, t: &ht::Template, mode: Mode) -> Vec<Part> {
        self.elements(t.iter(), mode)
    }

    fn elements<'e>(&self, elements: impl Iterator<Item = &'e Element>, mode: Mode) -> Vec<Part> {
        let mut parts = Vec::new();
        // Strip markers (`~`) apply to the neighbouring literals.
        let mut strip_next = false;
        for el in elements {
            match el {
                Element::Literal(lit) => {
                    let (mut text, mut map) = self.literal(lit.span(), lit.value(), mode);
                    if strip_next {
                        let n = text.len() - text.trim_start().len();
                        text.drain(..n);
                        map = map.shift_left(n);
                    }
                    strip_next = false;
                    parts.push(Part::Literal { text, map });
                }
                Element::Interpolation(i) => {
                    strip_prev(&mut parts, i.strip);
                    strip_next = i.strip.strip_end();
                    parts.push(Part::Interp(self.expr(&i.expr)));
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        strip_prev(&mut parts, d.if_expr.strip);
                        let mut then = self.template(&d.if_expr.template, mode);
                        if d.if_expr.strip.strip_end() {
                            strip_first(&mut then);
                        }
                        let mut otherwise = Vec::new();
                        if let Some(e) = &d.else_expr {
                            if e.strip.strip_start() {
                                strip_last(&mut then);
                            }
                            otherwise = self.template(&e.template, mode);
                            if e.strip.strip_end() {
                                strip_first(&mut otherwise);
                            }
                            if d.endif_expr.strip.strip_start() {
                                strip_last(&mut otherwise);
                            }
                        } else if d.endif_expr.strip.strip_start() {
                            strip_last(&mut then);
                        }
                        strip_next = d.endif_expr.strip.strip_end();
                        parts.push(Part::If {
                            cond: self.expr(&d.if_expr.cond_expr),
                            then,
                            otherwise,
                        });
                    }
                    Directive::For(d) => {
                        strip_prev(&mut parts, d.for_expr.strip);
                        let mut body = self.template(&d.for_expr.template, mode);
                        if d.for_expr.strip.strip_end() {
                            strip_first(&mut body);
                        }
                        if d.endfor_expr.strip.strip_start() {
                            strip_last(&mut body);
                        }
                        strip_next = d.endfor_expr.strip.strip_end();
                        parts.push(Part::For {
                            key_var: d.for_expr.key_var.as_ref().map(|k| k.as_str().to_string()),
                            value_var: d.for_expr.value_var.as_str().to_string(),
                            collection: self.expr(&d.for_expr.collection_expr),
                            body,
                        });
                    }
                },
            }
        }
        parts
    }

    /// A literal's text and the map back to its raw source, by re-scanning the source:
    /// hcl-edit gives the decoded text (dedented at the top level of `<<-` heredocs) and
    /// the span of the raw text only.
    fn literal(
        &self,
        range: Option<std::ops::Range<usize>>,
        value: &str,
        mode: Mode,
    ) -> (String, OffsetMap) {
        let fallback = |start: usize| {
            // Should not happen; point at the literal's start rather than guess inside it.
            let mut m = OffsetMap::new(self.file);
            m.push(0, start);
            m.push(value.len(), start);
            (value.to_string(), m)
        };
        let Some(range) = range else {
            return (value.to_string(), OffsetMap::default());
        };
        let mut start = range.start;
        let mut end = range.end;
        let raw = self.text.get(start..end).unwrap_or("");
        if mode == Mode::Quoted && raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
            start += 1;
            end -= 1;
        }
        let Some(raw) = self.text.get(start..end) else {
            return fallback(range.start);
        };
        let (decoded, offs) = decode(raw, mode == Mode::Quoted);
        // Heredoc text is taken raw (undedented); `flush_heredoc` dedents it.
        if mode == Mode::Quoted && decoded != value && !self.holds_huge(&range) {
            return fallback(start);
        }
        let mut m = OffsetMap::new(self.file);
        for (v, s) in offs {
            m.push(v, start + s);
        }
        (decoded, m)
    }
}

fn strip_prev(parts: &mut [Part], strip: Strip) {
    if strip.strip_start() {
        strip_last(parts);
    }
}

fn strip_last(parts: &mut [Part]) {
    if let Some(Part::Literal { text, .. }) = parts.last_mut() {
        let n = text.trim_end().len();
        text.truncate(n);
    }
}

fn strip_first(parts: &mut [Part]) {
    if let Some(Part::Literal { text, map }) = parts.first_mut() {
        let n = text.len() - text.trim_start().len();
        text.drain(..n);
        *map = map.shift_left(n);
    }
}

/// Decodes escapes; returns the text and, for every value char, its byte offset in `raw`.
pub(crate) fn decode(raw: &str, backslash: bool) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(raw.len());
    let mut offs = Vec::with_capacity(raw.len());
    let b = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let rest = &raw[i..];
        if rest.starts_with("$${") || rest.starts_with("%%{") {
            offs.push((out.len(), i));
            out.push_str(&rest[1..3]);
            i += 3;
            continue;
        }
        if backslash && b[i] == b'\\' {
            let (c, len) = match b.get(i + 1) {
                Some(b'n') => (Some('\n'), 2),
                Some(b'r') => (Some('\r'), 2),
                Some(b't') => (Some('\t'), 2),
                Some(b'\\') => (Some('\\'), 2),
                Some(b'"') => (Some('"'), 2),
                Some(b'u') => (hex(rest.get(2..6)), 6),
                Some(b'U') => (hex(rest.get(2..10)), 10),
                _ => (None, 1),
            };
            if let Some(c) = c {
                offs.push((out.len(), i));
                out.push(c);
                i += len;
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        offs.push((out.len(), i));
        out.push(c);
        i += c.len_utf8();
    }
    (out, offs)
}

fn hex(s: Option<&str>) -> Option<char> {
    u32::from_str_radix(s?, 16).ok().and_then(char::from_u32)
}

/// Terraform's `<<-` rule: find the fewest leading spaces of any line (a line that starts
/// with an interpolation or directive has none; blank lines do not count), then remove that
/// many characters from the start of every non-blank line, inside directives too.
fn flush_heredoc(parts: &mut [Part]) {
    let mut at_line_start = true;
    let mut min = usize::MAX;
    measure(parts, &mut at_line_start, &mut min);
    if min == 0 || min == usize::MAX {
        return;
    }
    let mut at_line_start = true;
    strip_indent(parts, min, &mut at_line_start);
}

fn is_blank_line(seg: &str) -> bool {
    seg.ends_with('\n') && seg.trim_start().is_empty()
}

fn measure(parts: &[Part], at_line_start: &mut bool, min: &mut usize) {
    // A directive marker or interpolation at the start of a line: no indent there.
    let marker = |at: &mut bool, min: &mut usize| {
        if *at {
            *min = 0;
        }
        *at = false;
    };
    for p in parts {
        match p {
            Part::Literal { text, .. } => {
                for seg in text.split_inclusive('\n') {
                    if *at_line_start && !is_blank_line(seg) {
                        let spaces = seg.chars().take_while(|c| c.is_whitespace()).count();
                        *min = (*min).min(spaces);
                    }
                    *at_line_start = seg.ends_with('\n');
                }
            }
            Part::Interp(_) => marker(at_line_start, min),
            Part::If {
                then, otherwise, ..
            } => {
                marker(at_line_start, min);
                measure(then, at_line_start, min);
                if !otherwise.is_empty() {
                    marker(at_line_start, min);
                    measure(otherwise, at_line_start, min);
                }
                marker(at_line_start, min);
            }
            Part::For { body, .. } => {
                marker(at_line_start, min);
                measure(body, at_line_start, min);
                marker(at_line_start, min);
            }
        }
    }
}

fn strip_indent(parts: &mut [Part], n: usize, at_line_start: &mut bool) {
    for p in parts {
        match p {
            Part::Literal { text, map } => {
                let mut out = String::with_capacity(text.len());
                let mut out_map = OffsetMap::default();
                out_map.file = map.file;
                let mut offset = 0;
                for seg in text.split_inclusive('\n') {
                    let skip = if *at_line_start && !is_blank_line(seg) {
                        seg.char_indices().nth(n).map_or(seg.len(), |(b, _)| b)
                    } else {
                        0
                    };
                    for (b, c) in seg[skip..].char_indices() {
                        if let Some(src) = map.lookup(offset + skip + b) {
                            out_map.push(out.len(), src);
                        }
                        out.push(c);
                    }
                    *at_line_start = seg.ends_with('\n');
                    offset += seg.len();
                }
                *text = out;
                *map = out_map;
            }
            Part::Interp(_) => *at_line_start = false,
            Part::If {
                then, otherwise, ..
            } => {
                *at_line_start = false;
                strip_indent(then, n, at_line_start);
                if !otherwise.is_empty() {
                    *at_line_start = false;
                    strip_indent(otherwise, n, at_line_start);
                }
                *at_line_start = false;
            }
            Part::For { body, .. } => {
                *at_line_start = false;
                strip_indent(body, n, at_line_start);
                *at_line_start = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit_map(parts: &[Part]) -> (&str, &OffsetMap) {
        match &parts[0] {
            Part::Literal { text, map } => (text, map),
            _ => panic!("not a literal"),
        }
    }

    #[test]
    fn heredoc_dedent_maps_to_source() {
        let src = "a = <<-EOT\n    { $.x = 1 }\n      y\n    EOT\n";
        let body = parse_body(FileId(0), src).unwrap();
        let ExprKind::Template(parts) = &body.attributes[0].expr.kind else {
            panic!()
        };
        let (text, map) = lit_map(parts);
        assert_eq!(text, "{ $.x = 1 }\n  y\n");
        let v = text.find('x').unwrap();
        let s = map.lookup(v).unwrap();
        assert_eq!(&src[s..s + 1], "x");
        let v = text.find('y').unwrap();
        let s = map.lookup(v).unwrap();
        assert_eq!(&src[s..s + 1], "y");
    }

    #[test]
    fn quoted_escapes_map_to_source() {
        let src = "a = \"{ $.a = \\\"b\\\" }\"\n";
        let body = parse_body(FileId(0), src).unwrap();
        let ExprKind::Template(parts) = &body.attributes[0].expr.kind else {
            panic!()
        };
        let (text, map) = lit_map(parts);
        assert_eq!(text, "{ $.a = \"b\" }");
        let v = text.find('b').unwrap();
        let s = map.lookup(v).unwrap();
        assert_eq!(&src[s..s + 1], "b");
    }

    fn heredoc_value(src: &str) -> String {
        let body = parse_body(FileId(0), src).unwrap();
        let ExprKind::Template(parts) = &body.attributes[0].expr.kind else {
            panic!()
        };
        let mut out = String::new();
        for p in parts {
            match p {
                Part::Literal { text, .. } => out.push_str(text),
                Part::Interp(_) => out.push_str("<i>"),
                Part::If { then, .. } | Part::For { body: then, .. } => {
                    for t in then {
                        if let Part::Literal { text, .. } = t {
                            out.push_str(text);
                        } else {
                            out.push_str("<i>");
                        }
                    }
                }
            }
        }
        out
    }

    /// Cases from HCL's specification suite (expressions/heredoc).
    #[test]
    fn flush_heredoc_like_terraform() {
        let case = |body: &str| heredoc_value(&format!("a = <<-EOT\n{body}  EOT\n"));
        assert_eq!(case("    Foo\n    Bar\n    Baz\n"), "Foo\nBar\nBaz\n");
        assert_eq!(case("    Foo\n      Bar\n    Baz\n"), "Foo\n  Bar\nBaz\n");
        assert_eq!(case("    Foo\n  Bar\n    Baz\n"), "  Foo\nBar\n  Baz\n");
        assert_eq!(case("    Foo\n    ${bar}\n    Baz\n"), "Foo\n<i>\nBaz\n");
        assert_eq!(case("    Foo\n  ${bar}\n    Baz\n"), "  Foo\n<i>\n  Baz\n");
        assert_eq!(case("    Foo\n\n    Bar\n"), "Foo\n\nBar\n");
        assert_eq!(case("    Foo\n${bar}\n"), "    Foo\n<i>\n");
        // Inside a directive too (hcl-edit leaves these indented).
        assert_eq!(
            case("    %{ for e in x }\n    (${e})\n    %{ endfor }\n"),
            "\n(<i>)\n\n"
        );
    }

    #[test]
    fn flushed_directive_body_maps_to_source() {
        let src =
            "a = <<-EOT\n    %{ for e in x }\n    ($.eventName = ${e})\n    %{ endfor }\n  EOT\n";
        let body = parse_body(FileId(0), src).unwrap();
        let ExprKind::Template(parts) = &body.attributes[0].expr.kind else {
            panic!()
        };
        let Part::For { body, .. } = &parts[1] else {
            panic!("{parts:?}")
        };
        let Part::Literal { text, map } = &body[0] else {
            panic!()
        };
        assert_eq!(text, "\n($.eventName = ");
        let at = text.find("eventName").unwrap();
        let s = map.lookup(at).unwrap();
        assert_eq!(&src[s..s + 9], "eventName");
    }

    #[test]
    fn parse_error_has_offset() {
        let err = parse_body(FileId(0), "a = {\n b = \n").unwrap_err();
        assert!(!err.message.is_empty());
    }
}
