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
    /// What the provider derives of it from the arguments (`arn:…:sns:…:…:alerts`): enough
    /// to resolve it by name where its identity does not.
    pub partial: Option<Partial>,
}

impl Reference {
    pub fn new(address: impl Into<String>, attribute: impl Into<String>) -> Reference {
        Reference {
            address: address.into(),
            attribute: attribute.into(),
            partial: None,
        }
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.address, self.attribute)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unknown {
    pub reason: String,
    /// References the value was built from (`"${aws_cloudwatch_log_group.x.arn}:*"`), so the
    /// graph can still link it.
    pub derived_from: Vec<Reference>,
    /// The known parts of a string built with unknown pieces
    /// (`"arn:aws:logs:${var.region}:${local.account}:log-group:trail"`).
    pub partial: Option<Partial>,
    /// The input this value is, passed on unchanged (`var.name` of a module instance, a data
    /// source's attribute): two unknowns with the same origin are equal after apply.
    pub origin: Option<String>,
}

impl Unknown {
    /// What makes two unknowns equal after apply: the same input, or the same text around
    /// the same inputs. `None` when it is computed in a way trailwatch does not follow.
    pub fn identity(&self) -> Option<String> {
        if let Some(origin) = &self.origin {
            return Some(origin.clone());
        }
        self.partial.as_ref().and_then(Partial::identity)
    }
}

/// A string known in parts: text with holes where it is unknown (`arn:…:sns:…:…:alerts`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Partial {
    pub chunks: Vec<Chunk>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Chunk {
    Text(String),
    /// Unknown text of any length; the identity of the value there, when it has one.
    Hole(Option<String>),
}

impl Partial {
    pub fn push_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some(Chunk::Text(t)) => t.push_str(text),
            _ => self.chunks.push(Chunk::Text(text.to_string())),
        }
    }

    pub fn push_hole(&mut self, identity: Option<String>) {
        self.chunks.push(Chunk::Hole(identity));
    }

    /// Appends a value that is not a known string: its own known parts, else a hole.
    pub fn push_value(&mut self, v: &Value) {
        let (partial, identity) = match v {
            Value::Reference(r) => (r.partial.as_ref(), Some(r.to_string())),
            Value::Unknown(u) => (u.partial.as_ref(), u.identity()),
            _ => (None, None),
        };
        match partial.filter(|p| self.size().saturating_add(p.size()) <= Partial::MAX_SIZE) {
            Some(p) => self.chunks.extend(p.chunks.iter().cloned()),
            None => self.push_hole(identity),
        }
    }

    /// Names and ARNs are short: a longer partial string is not kept (strings that double
    /// in each of 40 locals must not double here either).
    pub const MAX_SIZE: usize = 4096;

    /// Approximate memory footprint in bytes.
    pub fn size(&self) -> usize {
        self.chunks
            .iter()
            .map(|c| {
                32 + match c {
                    Chunk::Text(t) => t.len(),
                    Chunk::Hole(id) => id.as_ref().map_or(0, String::len),
                }
            })
            .fold(0, usize::saturating_add)
    }

    /// The known text before the first hole: the start of the string.
    pub fn head(&self) -> Option<&str> {
        match self.chunks.first()? {
            Chunk::Text(t) => Some(t),
            Chunk::Hole(_) => None,
        }
    }

    /// The known text after the last hole: the end of the string.
    pub fn tail(&self) -> Option<&str> {
        match self.chunks.last()? {
            Chunk::Text(t) => Some(t),
            Chunk::Hole(_) => None,
        }
    }

    /// Whether the string may be `text` once its holes are known (each hole is any text).
    pub fn may_be(&self, text: &str) -> bool {
        let last = self.chunks.len().saturating_sub(1);
        let mut rest = text;
        for (i, chunk) in self.chunks.iter().enumerate() {
            let Chunk::Text(t) = chunk else { continue };
            rest = match (i == 0, i == last) {
                (true, true) => return rest == t,
                (true, false) => match rest.strip_prefix(t.as_str()) {
                    Some(r) => r,
                    None => return false,
                },
                (false, true) => return rest.ends_with(t.as_str()),
                // Leftmost is best: it leaves the most text for what follows.
                (false, false) => match rest.find(t.as_str()) {
                    Some(at) => &rest[at + t.len()..],
                    None => return false,
                },
            };
        }
        true
    }

    /// Whether two strings known in parts may be equal: their known starts and ends agree.
    pub fn may_equal(&self, other: &Partial) -> bool {
        let (a, b) = (self.head().unwrap_or(""), other.head().unwrap_or(""));
        let (c, d) = (self.tail().unwrap_or(""), other.tail().unwrap_or(""));
        (a.starts_with(b) || b.starts_with(a)) && (c.ends_with(d) || d.ends_with(c))
    }

    /// The text with each hole written as the input it is: `None` if one is not an input.
    pub fn identity(&self) -> Option<String> {
        let mut out = String::new();
        for c in &self.chunks {
            match c {
                Chunk::Text(t) => out.push_str(t),
                Chunk::Hole(Some(id)) => out.push_str(&format!("${{{id}}}")),
                Chunk::Hole(None) => return None,
            }
        }
        Some(out)
    }
}

impl std::fmt::Display for Partial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.chunks {
            match c {
                Chunk::Text(t) => f.write_str(t)?,
                Chunk::Hole(_) => f.write_str("…")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct ResourceObject {
    pub address: String,
    pub data: bool,
    pub attributes: BTreeMap<String, Value>,
}

impl ResourceObject {
    /// An argument as configured; an argument set to null is an argument not set (the
    /// provider may compute it).
    fn configured(&self, name: &str) -> Option<Value> {
        self.attributes
            .get(name)
            .filter(|v| !matches!(v, Value::Null))
            .cloned()
    }

    /// An attribute: the configured value, else what the provider derives from the
    /// arguments, else a reference (managed) or unknown (data). A configured value that is
    /// unknown keeps this attribute as its identity, so the graph still links through it.
    pub fn get(&self, name: &str) -> Value {
        let own = |name: &str| {
            self.configured(name).map(|v| match v {
                Value::Unknown(mut u) => {
                    let r = Reference::new(self.address.clone(), name);
                    if !u.derived_from.contains(&r) {
                        u.derived_from.push(r);
                        u.derived_from.sort();
                    }
                    Value::Unknown(u)
                }
                v => v,
            })
        };
        if let Some(v) = own(name) {
            return v;
        }
        if self.data {
            return Value::Unknown(Unknown {
                reason: format!(
                    "{}.{name} is read from the cloud when Terraform plans",
                    self.address
                ),
                origin: Some(format!("{}.{name}", self.address)),
                ..Unknown::default()
            });
        }
        super::provider::derive(&self.address, name, &own)
            .unwrap_or_else(|| Value::Reference(Reference::new(self.address.clone(), name)))
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
            ..Unknown::default()
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
            Value::Unknown(u) => {
                ITEM + u.reason.len()
                    + ITEM * u.derived_from.len()
                    + u.partial.as_ref().map_or(0, Partial::size)
                    + u.origin.as_ref().map_or(0, String::len)
            }
            Value::Reference(r) => {
                ITEM + r.address.len()
                    + r.attribute.len()
                    + r.partial.as_ref().map_or(0, Partial::size)
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `a` + hole + `b` + hole + `c`, with `None` for no text.
    fn partial(texts: &[&str]) -> Partial {
        let mut p = Partial::default();
        for (i, t) in texts.iter().enumerate() {
            if i > 0 {
                p.push_hole(Some(format!("var.v{i}")));
            }
            p.push_text(t);
        }
        p
    }

    #[test]
    fn a_partial_string_may_be_only_what_its_known_parts_allow() {
        let p = partial(&["", "-root"]);
        assert!(p.may_be("prod-root"));
        assert!(!p.may_be("prod-iam"));
        let arn = partial(&["arn:aws:sns:", ":", ":alerts"]);
        assert!(arn.may_be("arn:aws:sns:us-east-1:111122223333:alerts"));
        assert!(!arn.may_be("arn:aws:logs:us-east-1:111122223333:alerts"));
        assert!(!arn.may_be("arn:aws:sns:us-east-1:111122223333:other"));
    }

    #[test]
    fn two_partial_strings_differ_when_their_ends_do() {
        assert!(!partial(&["", "-root"]).may_equal(&partial(&["", "-iam"])));
        assert!(partial(&["", "-root"]).may_equal(&partial(&["x", "root"])));
        assert!(!partial(&["prod-", ""]).may_equal(&partial(&["dev-", ""])));
    }

    #[test]
    fn the_same_inputs_in_the_same_text_are_one_identity() {
        assert_eq!(
            partial(&["", "Root"]).identity().as_deref(),
            Some("${var.v1}Root")
        );
        let mut anonymous = Partial::default();
        anonymous.push_hole(None);
        assert_eq!(anonymous.identity(), None);
    }
}
