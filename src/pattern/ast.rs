//! The filter-pattern syntax tree. Every node carries its byte span in the pattern text
//! so diagnostics (and, later, findings in `.tf` files) can point at one character.

use std::ops::Range;

/// A byte range in the pattern text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A parsed filter pattern: one of the three languages CloudWatch Logs accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// The empty pattern: matches every log event.
    MatchAll,
    /// Unstructured terms: `ERROR ?WARN -DEBUG "exact phrase"`.
    Terms(Vec<Term>),
    /// `{ $.field = value && ... }`, matched against JSON log events.
    Json(JsonPattern),
    /// `[ip, user, ..., status = 4*]`, matched against space-delimited log events.
    Delimited(DelimitedPattern),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub kind: TermKind,
    pub text: TermText,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Must be present (terms are ANDed).
    Required,
    /// `?term`: at least one of the optional terms must be present.
    Optional,
    /// `-term`: must not be present.
    Excluded,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TermText {
    /// A bare word or a quoted phrase; `quoted` only matters for printing.
    Literal { text: String, quoted: bool },
    /// `%regex%`.
    Regex(String),
}

impl TermText {
    /// A quoted term of spaces only (`" "`, `""`): the documentation's way to match
    /// every event, so it is present in every message.
    pub fn is_blank(&self) -> bool {
        matches!(self, TermText::Literal { text, .. } if text.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsonPattern {
    pub expr: Expr,
    pub span: Span,
}

/// A boolean expression over comparisons. `And`/`Or` are n-ary and never nest a node of
/// their own kind directly (the parser flattens `a && (b && c)`), so equal patterns have
/// equal trees.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>, Span),
    Or(Vec<Expr>, Span),
    Cmp(Comparison),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::And(_, span) | Expr::Or(_, span) => *span,
            Expr::Cmp(cmp) => cmp.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub selector: Selector,
    pub test: Test,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Compare { op: Op, value: Value, op_span: Span },
    IsNull,
    IsTrue,
    IsFalse,
    NotExists,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// `$.a.b[0].c` (JSON) or a field name (space-delimited).
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    pub steps: Vec<Step>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Field(String),
    Index(usize),
    /// `[*]` or `.*`: any element or member.
    Any,
}

impl Selector {
    /// The dotted form, `$.userIdentity.type`.
    pub fn path(&self) -> String {
        let mut out = String::from("$");
        for step in &self.steps {
            match step {
                Step::Field(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
                Step::Any => out.push_str("[*]"),
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string, quoted or not; `*` is a wildcard.
    Str { text: String, span: Span },
    /// A number, kept as written so printing is exact.
    Number {
        text: String,
        value: f64,
        span: Span,
    },
    /// `%regex%`.
    Regex { source: String, span: Span },
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Str { span, .. } | Value::Number { span, .. } | Value::Regex { span, .. } => {
                *span
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DelimitedPattern {
    pub fields: Vec<Field>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `...`: any number of fields.
    Ellipsis(Span),
    /// A named field, optionally with conditions on fields (`status = 4* || status = 5*`).
    Named {
        name: String,
        condition: Option<Expr>,
        span: Span,
    },
}

impl Pattern {
    /// The same pattern with every span zeroed: equal patterns compare equal however
    /// they were written.
    pub fn without_spans(&self) -> Pattern {
        let mut copy = self.clone();
        copy.clear_spans();
        copy
    }

    fn clear_spans(&mut self) {
        match self {
            Pattern::MatchAll => {}
            Pattern::Terms(terms) => terms.iter_mut().for_each(|t| t.span = Span::default()),
            Pattern::Json(json) => {
                json.span = Span::default();
                json.expr.clear_spans();
            }
            Pattern::Delimited(pattern) => {
                pattern.span = Span::default();
                for field in &mut pattern.fields {
                    match field {
                        Field::Ellipsis(span) => *span = Span::default(),
                        Field::Named {
                            condition, span, ..
                        } => {
                            *span = Span::default();
                            if let Some(condition) = condition {
                                condition.clear_spans();
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Expr {
    fn clear_spans(&mut self) {
        match self {
            Expr::And(items, span) | Expr::Or(items, span) => {
                *span = Span::default();
                items.iter_mut().for_each(Expr::clear_spans);
            }
            Expr::Cmp(cmp) => {
                cmp.span = Span::default();
                cmp.selector.span = Span::default();
                if let Test::Compare { value, op_span, .. } = &mut cmp.test {
                    *op_span = Span::default();
                    match value {
                        Value::Str { span, .. }
                        | Value::Number { span, .. }
                        | Value::Regex { span, .. } => *span = Span::default(),
                    }
                }
            }
        }
    }
}
