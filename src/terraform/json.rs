//! Terraform's JSON syntax (`.tf.json`, `.tfvars.json`): a small JSON parser that keeps byte
//! spans, and the lowering of its values to [`ast`](super::ast) (strings are templates).

use super::ast::{Attribute, Block, Body, Expr, ExprKind, Part, Step};
use super::hcl::{self, ParseError};
use super::source::{FileId, OffsetMap, Span};

#[derive(Debug, Clone)]
pub enum JKind {
    Null,
    Bool(bool),
    Number(f64),
    /// Decoded text and, per decoded char, its byte offset in the source.
    String(String, Vec<(usize, usize)>),
    Array(Vec<JNode>),
    /// Members in source order; duplicates kept.
    Object(Vec<(String, usize, JNode)>),
}

#[derive(Debug, Clone)]
pub struct JNode {
    pub kind: JKind,
    pub start: usize,
    pub end: usize,
}

const MAX_DEPTH: usize = 128;

pub fn parse(text: &str) -> Result<JNode, ParseError> {
    // JSON is code to the node count: each value, key and punctuation byte is one node.
    hcl::bounded(text, false)?;
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn err(&self, m: &str) -> ParseError {
        ParseError {
            offset: self.i,
            message: m.to_string(),
        }
    }

    fn ws(&mut self) {
        while let Some(c) = self.s.get(self.i) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<JNode, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        let start = self.i;
        let kind = match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let kstart = self.i;
                        let JKind::String(k, _) = self.string()? else {
                            return Err(self.err("expected a string key"));
                        };
                        self.ws();
                        if self.s.get(self.i) != Some(&b':') {
                            return Err(self.err("expected ':'"));
                        }
                        self.i += 1;
                        self.ws();
                        let v = self.value(depth + 1)?;
                        members.push((k, kstart, v));
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err("expected ',' or '}'")),
                        }
                    }
                }
                JKind::Object(members)
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err("expected ',' or ']'")),
                        }
                    }
                }
                JKind::Array(items)
            }
            Some(b'"') => self.string()?,
            Some(b't') if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                JKind::Bool(true)
            }
            Some(b'f') if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                JKind::Bool(false)
            }
            Some(b'n') if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                JKind::Null
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                while let Some(c) = self.s.get(self.i) {
                    if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let t = self.text.get(start..self.i).unwrap_or("");
                JKind::Number(t.parse().map_err(|_| ParseError {
                    offset: start,
                    message: format!("invalid number `{t}`"),
                })?)
            }
            Some(_) => return Err(self.err("expected a JSON value")),
            None => return Err(self.err("unexpected end of JSON input")),
        };
        Ok(JNode {
            kind,
            start,
            end: self.i,
        })
    }

    fn string(&mut self) -> Result<JKind, ParseError> {
        if self.s.get(self.i) != Some(&b'"') {
            return Err(self.err("expected a string"));
        }
        self.i += 1;
        let mut out = String::new();
        let mut offs = Vec::new();
        loop {
            let Some(rest) = self.text.get(self.i..) else {
                return Err(self.err("invalid UTF-8 boundary in string"));
            };
            let Some(c) = rest.chars().next() else {
                return Err(self.err("unterminated string"));
            };
            match c {
                '"' => {
                    self.i += 1;
                    break;
                }
                '\\' => {
                    let at = self.i;
                    let e = self.s.get(self.i + 1).copied();
                    let (ch, len) = match e {
                        Some(b'"') => ('"', 2),
                        Some(b'\\') => ('\\', 2),
                        Some(b'/') => ('/', 2),
                        Some(b'b') => ('\u{8}', 2),
                        Some(b'f') => ('\u{c}', 2),
                        Some(b'n') => ('\n', 2),
                        Some(b'r') => ('\r', 2),
                        Some(b't') => ('\t', 2),
                        Some(b'u') => {
                            let hi = self.hex4(self.i + 2)?;
                            if (0xD800..0xDC00).contains(&hi)
                                && self.s.get(self.i + 6) == Some(&b'\\')
                                && self.s.get(self.i + 7) == Some(&b'u')
                            {
                                let lo = self.hex4(self.i + 8)?;
                                let cp = 0x10000
                                    + ((hi - 0xD800) << 10)
                                    + (lo.wrapping_sub(0xDC00) & 0x3FF);
                                (char::from_u32(cp).unwrap_or('\u{FFFD}'), 12)
                            } else {
                                (char::from_u32(hi).unwrap_or('\u{FFFD}'), 6)
                            }
                        }
                        _ => return Err(self.err("invalid escape in string")),
                    };
                    offs.push((out.len(), at));
                    out.push(ch);
                    self.i += len;
                }
                c if (c as u32) < 0x20 => return Err(self.err("control character in string")),
                c => {
                    offs.push((out.len(), self.i));
                    out.push(c);
                    self.i += c.len_utf8();
                }
            }
        }
        Ok(JKind::String(out, offs))
    }

    fn hex4(&self, at: usize) -> Result<u32, ParseError> {
        self.text
            .get(at..at + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| ParseError {
                offset: at,
                message: "invalid \\u escape".to_string(),
            })
    }
}

/// Block types that appear nested inside resources; JSON syntax cannot tell a block from an
/// object attribute without the provider schema, so the ones monitoring uses are listed.
const NESTED_BLOCKS: &[&str] = &[
    "metric_transformation",
    "event_selector",
    "advanced_event_selector",
    "field_selector",
    "data_resource",
    "insight_selector",
    "metric_query",
    "metric",
    "lifecycle",
    "timeouts",
    "dynamic",
    "content",
    "delivery_policy",
    "statement",
    "principals",
    "condition",
];

pub struct Lower {
    pub file: FileId,
}

impl Lower {
    fn span(&self, n: &JNode) -> Span {
        Span::new(self.file, n.start..n.end)
    }

    /// The top-level object of a `.tf.json` file.
    pub fn file(&self, root: &JNode, diags: &mut Vec<(usize, String)>) -> Body {
        let mut body = Body::default();
        let JKind::Object(members) = &root.kind else {
            diags.push((root.start, "a .tf.json file must hold a JSON object".into()));
            return body;
        };
        for (kind, _, v) in members {
            let labels = match kind.as_str() {
                "resource" | "data" => 2,
                "variable" | "output" | "module" | "provider" => 1,
                "locals" | "terraform" => 0,
                "//" => continue,
                _ => 0,
            };
            self.blocks(kind, labels, v, Vec::new(), &mut body.blocks, diags);
        }
        body
    }

    fn blocks(
        &self,
        kind: &str,
        labels_left: usize,
        v: &JNode,
        labels: Vec<String>,
        out: &mut Vec<Block>,
        diags: &mut Vec<(usize, String)>,
    ) {
        match &v.kind {
            JKind::Array(items) => {
                for i in items {
                    self.blocks(kind, labels_left, i, labels.clone(), out, diags);
                }
            }
            JKind::Object(members) if labels_left > 0 => {
                for (name, _, inner) in members {
                    if name == "//" {
                        continue;
                    }
                    let mut l = labels.clone();
                    l.push(name.clone());
                    self.blocks(kind, labels_left - 1, inner, l, out, diags);
                }
            }
            JKind::Object(_) => out.push(Block {
                kind: kind.to_string(),
                labels,
                body: self.body(kind, v, diags),
                span: self.span(v),
            }),
            _ => diags.push((v.start, format!("`{kind}` must be a JSON object"))),
        }
    }

    fn body(&self, kind: &str, v: &JNode, diags: &mut Vec<(usize, String)>) -> Body {
        let mut body = Body::default();
        let JKind::Object(members) = &v.kind else {
            return body;
        };
        for (name, kstart, value) in members {
            if name == "//" {
                continue;
            }
            let nested = match kind {
                "variable" | "output" | "locals" | "module" | "terraform" => {
                    kind == "variable" && name == "validation"
                }
                _ => NESTED_BLOCKS.contains(&name.as_str()),
            };
            if nested && matches!(value.kind, JKind::Object(_) | JKind::Array(_)) {
                let labels = usize::from(name == "dynamic");
                self.blocks(name, labels, value, Vec::new(), &mut body.blocks, diags);
                continue;
            }
            let expr = if kind == "variable" && name == "type" {
                // The type is an expression written inside a string.
                self.string_as_expr(value, diags)
            } else if kind == "variable" && name == "default" {
                self.literal(value)
            } else {
                self.expr(value)
            };
            body.attributes.push(Attribute {
                name: name.clone(),
                expr,
                span: Span::new(self.file, *kstart..value.end),
            });
        }
        body
    }

    /// A JSON value with no template interpretation (variable defaults).
    fn literal(&self, v: &JNode) -> Expr {
        let span = self.span(v);
        let kind = match &v.kind {
            JKind::String(s, offs) => ExprKind::Template(vec![Part::Literal {
                text: s.clone(),
                map: self.map(offs),
            }]),
            JKind::Array(items) => ExprKind::Tuple(items.iter().map(|i| self.literal(i)).collect()),
            JKind::Object(m) => ExprKind::Object(
                m.iter()
                    .map(|(k, ks, v)| (self.key(k, *ks), self.literal(v)))
                    .collect(),
            ),
            _ => return self.expr(v),
        };
        Expr::new(kind, span)
    }

    /// A `.tfvars.json` file: top-level members are variable values (no templates).
    pub fn tfvars(&self, root: &JNode, diags: &mut Vec<(usize, String)>) -> Vec<Attribute> {
        let JKind::Object(members) = &root.kind else {
            diags.push((
                root.start,
                "a .tfvars.json file must hold a JSON object".into(),
            ));
            return Vec::new();
        };
        members
            .iter()
            .map(|(k, ks, v)| Attribute {
                name: k.clone(),
                expr: self.literal(v),
                span: Span::new(self.file, *ks..v.end),
            })
            .collect()
    }

    fn key(&self, k: &str, start: usize) -> Expr {
        Expr::new(
            ExprKind::Template(vec![Part::Literal {
                text: k.to_string(),
                map: OffsetMap::linear(self.file, start + 1),
            }]),
            Span::new(self.file, start..start + k.len() + 2),
        )
    }

    fn map(&self, offs: &[(usize, usize)]) -> OffsetMap {
        let mut m = OffsetMap::new(self.file);
        for &(v, s) in offs {
            m.push(v, s);
        }
        m
    }

    pub fn expr(&self, v: &JNode) -> Expr {
        let span = self.span(v);
        let kind = match &v.kind {
            JKind::Null => ExprKind::Null,
            JKind::Bool(b) => ExprKind::Bool(*b),
            JKind::Number(n) => ExprKind::Number(*n),
            JKind::String(s, offs) => return self.template(s, offs, span),
            JKind::Array(items) => ExprKind::Tuple(items.iter().map(|i| self.expr(i)).collect()),
            JKind::Object(m) => ExprKind::Object(
                m.iter()
                    .filter(|(k, _, _)| k != "//")
                    .map(|(k, ks, v)| (self.key(k, *ks), self.expr(v)))
                    .collect(),
            ),
        };
        Expr::new(kind, span)
    }

    /// A variable's `type`: an expression written inside a JSON string.
    fn string_as_expr(&self, v: &JNode, diags: &mut Vec<(usize, String)>) -> Expr {
        if let JKind::String(s, offs) = &v.kind {
            match hcl::parse_expr(self.file, s) {
                Ok(e) => return remap(e, &self.map(offs)),
                Err(e) => {
                    let at = offs
                        .iter()
                        .find(|(o, _)| *o >= e.offset)
                        .map_or(v.start, |(_, s)| *s);
                    diags.push((at, format!("invalid type constraint: {}", e.message)));
                }
            }
        }
        self.expr(v)
    }

    fn template(&self, s: &str, offs: &[(usize, usize)], span: Span) -> Expr {
        let m = self.map(offs);
        match hcl::parse_template(self.file, s) {
            Ok(parts) => Expr::new(
                ExprKind::Template(parts.into_iter().map(|p| remap_part(p, &m)).collect()),
                span,
            ),
            Err(e) => Expr::new(
                ExprKind::Invalid(format!("invalid template in JSON string: {}", e.message)),
                span,
            ),
        }
    }
}

/// Rewrites spans relative to a decoded JSON string into source spans.
fn remap(mut e: Expr, m: &OffsetMap) -> Expr {
    let end = m
        .lookup(e.span.end.saturating_sub(1) as usize)
        .map_or(e.span.end as usize, |x| x + 1);
    e.span = Span::new(
        e.span.file,
        m.lookup(e.span.start as usize).unwrap_or(0)..end,
    );
    e.kind = match e.kind {
        ExprKind::Template(parts) => {
            ExprKind::Template(parts.into_iter().map(|p| remap_part(p, m)).collect())
        }
        ExprKind::Tuple(items) => ExprKind::Tuple(items.into_iter().map(|i| remap(i, m)).collect()),
        ExprKind::Object(items) => ExprKind::Object(
            items
                .into_iter()
                .map(|(k, v)| (remap(k, m), remap(v, m)))
                .collect(),
        ),
        ExprKind::Traversal(root, steps) => ExprKind::Traversal(
            Box::new(remap(*root, m)),
            steps
                .into_iter()
                .map(|s| match s {
                    Step::Index(i) => Step::Index(remap(i, m)),
                    s => s,
                })
                .collect(),
        ),
        ExprKind::Call {
            name,
            args,
            expand_final,
        } => ExprKind::Call {
            name,
            args: args.into_iter().map(|a| remap(a, m)).collect(),
            expand_final,
        },
        ExprKind::Cond(a, b, c) => ExprKind::Cond(
            Box::new(remap(*a, m)),
            Box::new(remap(*b, m)),
            Box::new(remap(*c, m)),
        ),
        ExprKind::Unary(op, a) => ExprKind::Unary(op, Box::new(remap(*a, m))),
        ExprKind::Binary(op, a, b) => {
            ExprKind::Binary(op, Box::new(remap(*a, m)), Box::new(remap(*b, m)))
        }
        ExprKind::For(f) => {
            let f = *f;
            ExprKind::For(Box::new(super::ast::ForExpr {
                collection: remap(f.collection, m),
                key: f.key.map(|k| remap(k, m)),
                value: remap(f.value, m),
                cond: f.cond.map(|c| remap(c, m)),
                ..f
            }))
        }
        k => k,
    };
    e
}

fn remap_part(p: Part, m: &OffsetMap) -> Part {
    match p {
        Part::Literal { text, map } => Part::Literal {
            text,
            map: map.compose(m),
        },
        Part::Interp(e) => Part::Interp(remap(e, m)),
        Part::If {
            cond,
            then,
            otherwise,
        } => Part::If {
            cond: remap(cond, m),
            then: then.into_iter().map(|p| remap_part(p, m)).collect(),
            otherwise: otherwise.into_iter().map(|p| remap_part(p, m)).collect(),
        },
        Part::For {
            key_var,
            value_var,
            collection,
            body,
        } => Part::For {
            key_var,
            value_var,
            collection: remap(collection, m),
            body: body.into_iter().map(|p| remap_part(p, m)).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_spans() {
        let t = r#"{"a": [1, "x\"y", {"b": null}]}"#;
        let v = parse(t).unwrap();
        let JKind::Object(m) = &v.kind else { panic!() };
        assert_eq!(m[0].0, "a");
        assert_eq!(&t[m[0].2.start..m[0].2.end], r#"[1, "x\"y", {"b": null}]"#);
    }

    #[test]
    fn errors_do_not_panic() {
        for t in [
            "",
            "{",
            "[1,",
            "\"abc",
            "{\"a\" 1}",
            "tru",
            "\"\\u12\"",
            "-",
        ] {
            assert!(parse(t).is_err(), "{t}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let t = "[".repeat(10_000);
        assert!(parse(&t).is_err());
    }
}
