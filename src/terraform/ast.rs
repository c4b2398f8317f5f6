//! A small expression tree both syntaxes (HCL native and JSON) lower to, with spans.

use super::source::{OffsetMap, Span};

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Eq,
    NotEq,
    LessEq,
    GreaterEq,
    Less,
    Greater,
    Plus,
    Minus,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// Quoted strings, heredocs and JSON strings: a sequence of template parts.
    Template(Vec<Part>),
    Tuple(Vec<Expr>),
    Object(Vec<(Expr, Expr)>),
    Var(String),
    Traversal(Box<Expr>, Vec<Step>),
    Call {
        name: String,
        args: Vec<Expr>,
        expand_final: bool,
    },
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
    /// Something the lowering could not express; evaluates to unknown with this reason.
    Invalid(String),
}

#[derive(Debug, Clone)]
pub enum Step {
    Attr(String),
    Index(Expr),
    /// `.*` (legacy attribute splat)
    AttrSplat,
    /// `[*]`
    FullSplat,
}

#[derive(Debug, Clone)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    pub grouping: bool,
}

#[derive(Debug, Clone)]
pub enum Part {
    Literal {
        text: String,
        map: OffsetMap,
    },
    Interp(Expr),
    If {
        cond: Expr,
        then: Vec<Part>,
        otherwise: Vec<Part>,
    },
    For {
        key_var: Option<String>,
        value_var: String,
        collection: Expr,
        body: Vec<Part>,
    },
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// The literal string of a template without interpolations, if it is one.
    pub fn as_literal_str(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Template(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        Part::Literal { text, .. } => s.push_str(text),
                        _ => return None,
                    }
                }
                Some(s)
            }
            _ => None,
        }
    }

    /// `a.b.c` as names, for `depends_on`-like and type expressions.
    pub fn as_traversal_names(&self) -> Option<Vec<String>> {
        match &self.kind {
            ExprKind::Var(v) => Some(vec![v.clone()]),
            ExprKind::Traversal(root, steps) => {
                let mut names = root.as_traversal_names()?;
                for s in steps {
                    match s {
                        Step::Attr(a) => names.push(a.clone()),
                        _ => return None,
                    }
                }
                Some(names)
            }
            _ => None,
        }
    }
}

/// An attribute `name = expr` inside a body.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    pub expr: Expr,
    pub span: Span,
}

/// A block `type "label" { ... }`.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}
