//! Values as the evaluator sees them: known, a reference to a computed attribute, or unknown.

use std::collections::BTreeMap;

use super::source::{FileId, OffsetMap};

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(Str),
    /// Lists, tuples and sets (sets are sorted and deduplicated when made).
    List(Vec<Value>),
    /// Maps and objects; keys sorted as Terraform iterates them.
    Map(BTreeMap<String, Value>),
    /// A computed attribute of a managed resource, known only after apply.
    Reference(Reference),
    Unknown(Unknown),
    /// A whole resource instance used as a value (`for_each = aws_x.y`, `each.value`).
    Resource(Box<ResourceObject>),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    /// `module.m.aws_sns_topic.alerts["k"]`
    pub address: String,
    /// `arn`, or a path such as `tags.Name`
    pub attribute: String,
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.address, self.attribute)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub reason: String,
    /// References the value was built from (`"${aws_cloudwatch_log_group.x.arn}:*"`), so the
    /// graph can still link it.
    pub derived_from: Vec<Reference>,
}

#[derive(Debug, Clone)]
pub struct ResourceObject {
    pub address: String,
    pub data: bool,
    pub attributes: BTreeMap<String, Value>,
}

impl ResourceObject {
    /// An attribute: the configured value, else a reference (managed) or unknown (data).
    pub fn get(&self, name: &str) -> Value {
        // An argument set to null is an argument not set: the provider may compute it.
        if let Some(v) = self
            .attributes
            .get(name)
            .filter(|v| !matches!(v, Value::Null))
        {
            return v.clone();
        }
        if self.data {
            Value::unknown(format!(
                "{}.{name} is read from the cloud when Terraform plans",
                self.address
            ))
        } else {
            Value::Reference(Reference {
                address: self.address.clone(),
                attribute: name.to_string(),
            })
        }
    }
}

/// A string with, where known, the source of each of its bytes.
#[derive(Debug, Clone, Default)]
pub struct Str {
    pub text: String,
    pub origin: Vec<Piece>,
}

/// Bytes `start..end` of a string come from source text through `map` (offsets relative to
/// `start`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub map: OffsetMap,
}

impl Str {
    pub fn plain(text: impl Into<String>) -> Str {
        Str {
            text: text.into(),
            origin: Vec::new(),
        }
    }

    pub fn from_source(text: String, map: OffsetMap) -> Str {
        let end = text.len();
        let origin = if map.file.is_some() && end > 0 {
            vec![Piece { start: 0, end, map }]
        } else {
            Vec::new()
        };
        Str { text, origin }
    }

    pub fn push_str(&mut self, other: &Str) {
        let base = self.text.len();
        for p in &other.origin {
            self.origin.push(Piece {
                start: p.start + base,
                end: p.end + base,
                map: p.map.clone(),
            });
        }
        self.text.push_str(&other.text);
    }

    pub fn push_plain(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// The file and byte offset that byte `offset` of the string came from.
    pub fn source_of(&self, offset: usize) -> Option<(FileId, usize)> {
        let p = self
            .origin
            .iter()
            .find(|p| p.start <= offset && offset < p.end)?;
        Some((p.map.file?, p.map.lookup(offset - p.start)?))
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Number(a), Number(b)) => a == b,
            (String(a), String(b)) => a == b,
            (List(a), List(b)) => a == b,
            (Map(a), Map(b)) => a == b,
            (Reference(a), Reference(b)) => a == b,
            (Unknown(a), Unknown(b)) => a == b,
            (Resource(a), Resource(b)) => a.address == b.address,
            _ => false,
        }
    }
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(Str::plain(s))
    }

    pub fn unknown(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into(),
            derived_from: Vec::new(),
        })
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, Value::Unknown(_) | Value::Reference(_))
    }

    /// Known all the way down (no unknown or reference inside).
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) | Value::Reference(_) => false,
            Value::List(l) => l.iter().all(Value::is_wholly_known),
            Value::Map(m) => m.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(&s.text),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "object",
            Value::Reference(_) => "reference",
            Value::Unknown(_) => "unknown",
            Value::Resource(_) => "resource",
        }
    }

    /// JSON form used by `inspect`: references and unknowns become tagged objects.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => number_json(*n),
            Value::String(s) => J::String(s.text.clone()),
            Value::List(l) => J::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Value::Reference(r) => serde_json::json!({ "reference": r.to_string() }),
            Value::Unknown(u) if u.derived_from.is_empty() => {
                serde_json::json!({ "unknown": u.reason })
            }
            Value::Unknown(u) => serde_json::json!({
                "unknown": u.reason,
                "derived_from": u.derived_from.iter().map(ToString::to_string).collect::<Vec<_>>(),
            }),
            Value::Resource(r) => serde_json::json!({ "resource": r.address }),
        }
    }

    /// Converts a plain JSON value (jsondecode, yamldecode, tfvars.json, plans).
    pub fn from_json(j: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match j {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            J::String(s) => Value::str(s.clone()),
            J::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            J::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Human form for `inspect`.
    pub fn render(&self) -> String {
        match self {
            Value::String(s) => format!("{:?}", s.text),
            Value::Reference(r) => format!("<reference {r}>"),
            Value::Unknown(u) => format!("<unknown: {}>", u.reason),
            Value::Resource(r) => format!("<resource {}>", r.address),
            Value::List(l) => {
                let items: Vec<String> = l.iter().map(Value::render).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Map(m) => {
                let items: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", v.render()))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
            v => v.to_json().to_string(),
        }
    }
}

pub fn number_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// Terraform's string form of a number: no trailing `.0`.
pub fn number_to_string(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl Value {
    /// Approximate memory footprint in bytes (text, origins, and a fixed cost per element),
    /// used to stop hostile configurations from building gigabytes. Stops counting once past
    /// `limit`, so asking about a huge value is cheap.
    pub fn size_up_to(&self, limit: usize) -> usize {
        const ITEM: usize = 32;
        match self {
            Value::String(s) => ITEM + s.size(),
            Value::List(l) => {
                let mut total = ITEM;
                for v in l {
                    total = total.saturating_add(v.size_up_to(limit.saturating_sub(total)));
                    if total > limit {
                        break;
                    }
                }
                total
            }
            Value::Map(m) => entries_size_up_to(ITEM, m, limit),
            Value::Resource(r) => entries_size_up_to(ITEM + r.address.len(), &r.attributes, limit),
            Value::Unknown(u) => ITEM + u.reason.len() + ITEM * u.derived_from.len(),
            Value::Reference(r) => ITEM + r.address.len() + r.attribute.len(),
            Value::Null | Value::Bool(_) | Value::Number(_) => ITEM,
        }
    }
}

/// [`Value::size_up_to`] of a map's entries, on top of `total`.
fn entries_size_up_to(mut total: usize, entries: &BTreeMap<String, Value>, limit: usize) -> usize {
    for (k, v) in entries {
        total = total
            .saturating_add(k.len())
            .saturating_add(v.size_up_to(limit.saturating_sub(total)));
        if total > limit {
            break;
        }
    }
    total
}

impl Str {
    /// Approximate memory footprint in bytes: the text and its origin pieces.
    pub fn size(&self) -> usize {
        self.text
            .len()
            .saturating_add(self.origin.len().saturating_mul(64))
    }

    /// Bytes `a..b` (on char boundaries) with their origin.
    pub fn slice(&self, a: usize, b: usize) -> Str {
        let text = self.text.get(a..b).unwrap_or("").to_string();
        let mut origin = Vec::new();
        // Pieces are sorted and disjoint: start at the first one that reaches `a`, stop
        // past `b` (splitting a string of many pieces must not be quadratic).
        let first = self.origin.partition_point(|p| p.end <= a);
        for p in &self.origin[first..] {
            if p.start >= b {
                break;
            }
            let s = p.start.max(a);
            let e = p.end.min(b);
            if s < e {
                origin.push(Piece {
                    start: s - a,
                    end: e - a,
                    map: p.map.shift_left(s - p.start),
                });
            }
        }
        Str { text, origin }
    }
}
