//! Evaluates a parsed pattern on one log event, the way CloudWatch Logs does.

use serde_json::Value as Json;

use super::ast::{
    Comparison, DelimitedPattern, Expr, Field, Op, Pattern, Step, Term, TermKind, TermText, Test,
    Value,
};
use super::parse::MAX_DEPTH;
use super::{regex, wildcard};

/// A log event: its message text and, when the message is a JSON object, the parsed
/// object (CloudTrail delivers each record to CloudWatch Logs as one compact JSON line).
#[derive(Debug, Clone)]
pub struct LogEvent {
    pub message: String,
    pub json: Option<Json>,
}

impl LogEvent {
    pub fn from_json(json: Json) -> Self {
        LogEvent {
            message: json.to_string(),
            json: Some(json),
        }
    }

    /// A raw message; parsed as JSON when it is a JSON object, as CloudWatch does.
    pub fn from_text(message: impl Into<String>) -> Self {
        let message = message.into();
        let json = serde_json::from_str::<Json>(message.trim())
            .ok()
            .filter(Json::is_object);
        LogEvent { message, json }
    }
}

/// Upper bound on field alignments tried for a space-delimited pattern with several
/// `...`: a pathological message must not make matching slow.
const MAX_ALIGNMENTS: usize = 10_000;

impl Pattern {
    pub fn matches(&self, event: &LogEvent) -> bool {
        match self {
            Pattern::MatchAll => true,
            Pattern::Terms(terms) => terms_match(terms, &event.message),
            Pattern::Json(json) => match &event.json {
                Some(record) => eval_expr(&json.expr, &mut |cmp| json_comparison(cmp, record)),
                None => false,
            },
            Pattern::Delimited(pattern) => delimited_match(pattern, &event.message),
        }
    }
}

/// How deep evaluation recurses into `&&`/`||` nodes. The parser refuses parentheses
/// nested deeper than `MAX_DEPTH`, and each level adds at most two nodes (an `||` holding
/// an `&&`), so a parsed tree always fits; a tree built by hand that is deeper matches
/// nothing rather than overflowing the stack.
pub const MAX_EVAL_DEPTH: usize = 2 * MAX_DEPTH + 4;

fn eval_expr(expr: &Expr, cmp: &mut impl FnMut(&Comparison) -> bool) -> bool {
    eval_at(expr, cmp, 0)
}

fn eval_at(expr: &Expr, cmp: &mut impl FnMut(&Comparison) -> bool, depth: usize) -> bool {
    if depth > MAX_EVAL_DEPTH {
        return false;
    }
    match expr {
        Expr::And(items, _) => items.iter().all(|item| eval_at(item, cmp, depth + 1)),
        Expr::Or(items, _) => items.iter().any(|item| eval_at(item, cmp, depth + 1)),
        Expr::Cmp(comparison) => cmp(comparison),
    }
}

// ---- terms ----

/// Terms are case-sensitive substrings of the message (every example AWS published
/// matches inside longer words: `ERROR` matches `ERRORCODE`). All required terms must be
/// present and no excluded one. `?` terms alone mean "any of them"; mixed with other
/// terms they are ignored, as the documentation says.
fn terms_match(terms: &[Term], message: &str) -> bool {
    let only_optional = terms.iter().all(|t| t.kind == TermKind::Optional);
    if only_optional {
        return terms.iter().any(|t| term_present(&t.text, message));
    }
    terms.iter().all(|term| match term.kind {
        TermKind::Required => term_present(&term.text, message),
        TermKind::Excluded => !term_present(&term.text, message),
        TermKind::Optional => true,
    })
}

fn term_present(text: &TermText, message: &str) -> bool {
    if text.is_blank() {
        return true;
    }
    match text {
        TermText::Literal { text, .. } => message.contains(text.as_str()),
        TermText::Regex(source) => regex::is_match(source, message),
    }
}

// ---- JSON ----

fn json_comparison(cmp: &Comparison, record: &Json) -> bool {
    let mut found = Vec::new();
    resolve(record, &cmp.selector.steps, &mut found);
    match &cmp.test {
        Test::NotExists => found.is_empty(),
        Test::IsNull => found.iter().any(|v| v.is_null()),
        Test::IsTrue => found.iter().any(|v| v.as_bool() == Some(true)),
        Test::IsFalse => found.iter().any(|v| v.as_bool() == Some(false)),
        // A missing field fails every comparison, `!=` included.
        Test::Compare { op, value, .. } => found.iter().any(|v| compare_json(*op, value, v)),
    }
}

/// Every value the selector reaches (several when it has `[*]`/`.*`). Step by step, with
/// no recursion, so a selector of any length costs no stack.
fn resolve<'a>(value: &'a Json, steps: &[Step], out: &mut Vec<&'a Json>) {
    let mut level = vec![value];
    for step in steps {
        let mut next = Vec::new();
        for value in level {
            match (step, value) {
                (Step::Field(name), Json::Object(map)) => next.extend(map.get(name)),
                (Step::Index(i), Json::Array(items)) => next.extend(items.get(*i)),
                (Step::Any, Json::Array(items)) => next.extend(items),
                (Step::Any, Json::Object(map)) => next.extend(map.values()),
                _ => {}
            }
        }
        if next.is_empty() {
            return;
        }
        level = next;
    }
    out.extend(level);
}

fn compare_json(op: Op, value: &Value, field: &Json) -> bool {
    match field {
        Json::String(s) => compare_text(op, value, s),
        Json::Number(n) => match n.as_f64() {
            Some(number) => compare_number(op, value, number, &n.to_string()),
            None => false,
        },
        // Booleans are tested with IS TRUE / IS FALSE only; `= "false"` compares a string
        // with a boolean and never matches (a real alarm was silent because of this).
        Json::Bool(_) | Json::Null | Json::Array(_) | Json::Object(_) => false,
    }
}

/// A string field (or a space-delimited field's text).
fn compare_text(op: Op, value: &Value, text: &str) -> bool {
    match (op, value) {
        (Op::Eq, Value::Str { text: pattern, .. }) => wildcard::value(pattern, text),
        (Op::Ne, Value::Str { text: pattern, .. }) => !wildcard::value(pattern, text),
        (Op::Eq, Value::Regex { source, .. }) => regex_search(source, text),
        (Op::Ne, Value::Regex { source, .. }) => !regex_search(source, text),
        // A number never equals a string (documentation is silent; we type strictly, so
        // `$.eventVersion = 1.08` does not match the string "1.08").
        _ => false,
    }
}

fn compare_number(op: Op, value: &Value, number: f64, written: &str) -> bool {
    match value {
        Value::Number { value: wanted, .. } => match op {
            Op::Eq => number == *wanted,
            Op::Ne => number != *wanted,
            Op::Lt => number < *wanted,
            Op::Le => number <= *wanted,
            Op::Gt => number > *wanted,
            Op::Ge => number >= *wanted,
        },
        // `$.status = 4*` wildcards a number through its written form.
        Value::Str { .. } | Value::Regex { .. } => compare_text(op, value, written),
    }
}

fn regex_search(source: &str, text: &str) -> bool {
    regex::is_match(source, text)
}

// ---- space-delimited ----

/// One field of a space-delimited message: its value, and the byte range it occupies
/// including any enclosing `"` or `[]`.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub value: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Splits a message into fields: runs of non-space characters, where `"…"` and `[…]`
/// each form one field (their value drops the enclosing characters).
pub fn split_fields(message: &str) -> Vec<Token<'_>> {
    let mut fields = Vec::new();
    let bytes = message.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b if b.is_ascii_whitespace() => i += 1,
            open @ (b'"' | b'[') => {
                let close = if open == b'"' { b'"' } else { b']' };
                let start = i + 1;
                let end = bytes[start..]
                    .iter()
                    .position(|b| *b == close)
                    .map_or(bytes.len(), |p| start + p);
                fields.push(Token {
                    value: &message[start..end],
                    start: i,
                    end: (end + 1).min(bytes.len()),
                });
                i = end + 1;
            }
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                fields.push(Token {
                    value: &message[start..i],
                    start,
                    end: i,
                });
            }
        }
    }
    fields
}

fn delimited_match(pattern: &DelimitedPattern, message: &str) -> bool {
    let tokens = split_fields(message);
    let mut walk = Alignment {
        message,
        all_fields: &pattern.fields,
        bound: Vec::new(),
        budget: MAX_ALIGNMENTS,
    };
    walk.align(&pattern.fields, &tokens)
}

struct Alignment<'a> {
    message: &'a str,
    all_fields: &'a [Field],
    bound: Vec<(&'a str, &'a str)>,
    budget: usize,
}

impl<'a> Alignment<'a> {
    /// Tries each way of spreading the tokens over the fields (`...` takes any number;
    /// the last field takes the rest of the message, so `[w1=ERROR, w2]` matches a long
    /// line — the documentation's own example) and checks the conditions.
    fn align(&mut self, fields: &'a [Field], tokens: &[Token<'a>]) -> bool {
        if self.budget == 0 {
            return false;
        }
        let Some((field, rest)) = fields.split_first() else {
            self.budget -= 1;
            return tokens.is_empty() && conditions_hold(self.all_fields, &self.bound);
        };
        match field {
            Field::Ellipsis(_) => (0..=tokens.len()).any(|skip| self.align(rest, &tokens[skip..])),
            Field::Named { name, .. } => {
                let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
                    return false;
                };
                let (value, remaining) = if rest.is_empty() && tokens.len() > 1 {
                    (
                        &self.message[first.start..last.end],
                        &tokens[tokens.len()..],
                    )
                } else {
                    (first.value, &tokens[1..])
                };
                self.bound.push((name, value));
                let ok = self.align(rest, remaining);
                self.bound.pop();
                ok
            }
        }
    }
}

fn conditions_hold(fields: &[Field], bound: &[(&str, &str)]) -> bool {
    fields.iter().all(|field| match field {
        Field::Named {
            condition: Some(condition),
            ..
        } => eval_expr(condition, &mut |cmp| delimited_comparison(cmp, bound)),
        _ => true,
    })
}

fn delimited_comparison(cmp: &Comparison, bound: &[(&str, &str)]) -> bool {
    let Some(Step::Field(name)) = cmp.selector.steps.first() else {
        return false;
    };
    let Some((_, token)) = bound.iter().find(|(n, _)| n == name) else {
        return false;
    };
    let Test::Compare { op, value, .. } = &cmp.test else {
        return false;
    };
    match value {
        // Every space-delimited field is text; a numeric condition reads it as a number,
        // and a token that is not one differs from every number.
        Value::Number { .. } => match super::parse::number(token) {
            Some(number) => compare_number(*op, value, number, token),
            None => *op == Op::Ne,
        },
        _ => compare_text(*op, value, token),
    }
}
