//! Terraform's built-in functions that monitoring configurations use. `try`, `can`, `file`
//! and `templatefile` need the evaluator and live there.

use std::collections::BTreeMap;

use super::value::{Str, Value, number_to_string};

/// Why a function produced no known value.
#[derive(Debug, Clone, PartialEq)]
pub enum FnError {
    /// An argument is not known before apply; the result is unknown for this reason.
    Unknown(String),
    /// Terraform itself would reject the call.
    Error(String),
}

type R = Result<Value, FnError>;

fn err<T>(m: impl Into<String>) -> Result<T, FnError> {
    Err(FnError::Error(m.into()))
}

/// The largest value one expression or function may build, in bytes as
/// [`Value::size_up_to`] counts them. Monitoring configurations stay far below it; a
/// configuration that asks for more (`join("", [for i in range(...) : ...])`, `replace` that
/// multiplies a string) gets an unknown value and a diagnostic instead of exhausting memory.
pub const MAX_VALUE_BYTES: usize = 1 << 20;

/// The message for a value over [`MAX_VALUE_BYTES`].
pub fn too_large_message(what: &str) -> String {
    format!(
        "{what} would be larger than {} MiB; trailwatch does not build values that large",
        MAX_VALUE_BYTES >> 20
    )
}

fn too_large<T>(what: &str) -> Result<T, FnError> {
    err(too_large_message(what))
}

/// Fails when a string being built has grown past [`MAX_VALUE_BYTES`].
fn check_str(s: &Str) -> Result<(), FnError> {
    if s.size() > MAX_VALUE_BYTES {
        return too_large("the result");
    }
    Ok(())
}

/// Fails with `Unknown` if the value is not known.
pub fn known(v: &Value) -> Result<&Value, FnError> {
    match v {
        Value::Unknown(u) => Err(FnError::Unknown(u.reason.clone())),
        Value::Reference(r) => Err(FnError::Unknown(format!(
            "depends on {r}, known only after apply"
        ))),
        v => Ok(v),
    }
}

/// A value converted to a string the way Terraform converts primitives.
pub fn to_str(v: &Value) -> Result<Str, FnError> {
    match known(v)? {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(Str::plain(number_to_string(*n))),
        Value::Bool(b) => Ok(Str::plain(b.to_string())),
        Value::Null => err("a null value cannot be used as a string"),
        v => err(format!("a {} cannot be used as a string", v.type_name())),
    }
}

pub fn to_num(v: &Value) -> Result<f64, FnError> {
    match known(v)? {
        Value::Number(n) => Ok(*n),
        Value::String(s) => parse_number(&s.text).map_or_else(
            || err(format!("cannot convert \"{}\" to number", s.text)),
            Ok,
        ),
        v => err(format!("a {} cannot be used as a number", v.type_name())),
    }
}

/// A string as a number, as Terraform converts one: a decimal literal with an optional sign
/// and exponent, nothing around it (no spaces, no `0x`, no `inf`).
pub fn parse_number(s: &str) -> Option<f64> {
    let ok = !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.' | b'e' | b'E'))
        && s.bytes().any(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    s.parse().ok()
}

pub fn to_bool(v: &Value) -> Result<bool, FnError> {
    match known(v)? {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.text == "true" => Ok(true),
        Value::String(s) if s.text == "false" => Ok(false),
        v => err(format!("a {} cannot be used as a bool", v.type_name())),
    }
}

fn list(v: &Value) -> Result<&Vec<Value>, FnError> {
    match known(v)? {
        Value::List(l) => Ok(l),
        v => err(format!("expected a list, got a {}", v.type_name())),
    }
}

fn map(v: &Value) -> Result<&BTreeMap<String, Value>, FnError> {
    match known(v)? {
        Value::Map(m) => Ok(m),
        v => err(format!("expected a map or object, got a {}", v.type_name())),
    }
}

fn int(v: &Value) -> Result<i64, FnError> {
    let n = to_num(v)?;
    if n.fract() != 0.0 {
        return err(format!("{n} is not a whole number"));
    }
    Ok(n as i64)
}

fn arity(name: &str, args: &[Value], min: usize, max: usize) -> Result<(), FnError> {
    if args.len() < min || args.len() > max {
        let want = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return err(format!(
            "{name}() takes {want} argument(s), got {}",
            args.len()
        ));
    }
    Ok(())
}

/// Sorts and deduplicates like a Terraform set.
pub fn make_set(items: Vec<Value>) -> Value {
    let mut out = distinct(items);
    if out.iter().all(|v| matches!(v, Value::String(_))) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    Value::List(out)
}

/// A key that two values share exactly when they are equal, for values made of null, bools,
/// numbers (not NaN), strings, lists and maps; `None` for the others, which are compared one
/// by one. Keeps `distinct` and the set functions linear on long lists.
fn set_key(v: &Value) -> Option<String> {
    fn plain(v: &Value) -> bool {
        match v {
            Value::Null | Value::Bool(_) | Value::String(_) => true,
            Value::Number(n) => !n.is_nan(),
            Value::List(l) => l.iter().all(plain),
            Value::Map(m) => m.values().all(plain),
            _ => false,
        }
    }
    plain(v).then(|| v.to_json().to_string())
}

/// The values of a list, for fast membership tests.
struct Members<'a> {
    keys: std::collections::HashSet<String>,
    others: Vec<&'a Value>,
}

impl<'a> Members<'a> {
    fn of(items: &'a [Value]) -> Members<'a> {
        let mut m = Members {
            keys: std::collections::HashSet::new(),
            others: Vec::new(),
        };
        for v in items {
            match set_key(v) {
                Some(k) => {
                    m.keys.insert(k);
                }
                None => m.others.push(v),
            }
        }
        m
    }

    fn contains(&self, v: &Value) -> bool {
        match set_key(v) {
            Some(k) => self.keys.contains(&k),
            // A value with an unknown inside never equals a plain one.
            None => self.others.contains(&v),
        }
    }
}

/// The first of each group of equal values, in order.
fn distinct(items: Vec<Value>) -> Vec<Value> {
    let mut keys = std::collections::HashSet::new();
    let mut out: Vec<Value> = Vec::new();
    let mut others: Vec<Value> = Vec::new();
    for v in items {
        match set_key(&v) {
            Some(k) => {
                if keys.insert(k) {
                    out.push(v);
                }
            }
            None => {
                if !others.contains(&v) {
                    others.push(v.clone());
                    out.push(v);
                }
            }
        }
    }
    out
}

pub fn is_modelled(name: &str) -> bool {
    FUNCTIONS.contains(&name)
}

const FUNCTIONS: &[&str] = &[
    "format",
    "formatlist",
    "join",
    "split",
    "concat",
    "merge",
    "lookup",
    "element",
    "coalesce",
    "coalescelist",
    "compact",
    "distinct",
    "flatten",
    "contains",
    "length",
    "keys",
    "values",
    "toset",
    "tolist",
    "tomap",
    "tostring",
    "tonumber",
    "tobool",
    "lower",
    "upper",
    "title",
    "replace",
    "trimspace",
    "trim",
    "trimprefix",
    "trimsuffix",
    "chomp",
    "substr",
    "jsonencode",
    "jsondecode",
    "yamldecode",
    "regex",
    "regexall",
    "startswith",
    "endswith",
    "zipmap",
    "range",
    "max",
    "min",
    "abs",
    "ceil",
    "floor",
    "reverse",
    "sort",
    "slice",
    "one",
    "alltrue",
    "anytrue",
    "index",
    "sum",
    "basename",
    "dirname",
    "sensitive",
    "nonsensitive",
    "strcontains",
    "setunion",
    "setintersection",
    "setsubtract",
];

/// Calls a pure function by name. A result larger than [`MAX_VALUE_BYTES`] is an error.
pub fn call(name: &str, args: &[Value]) -> R {
    let v = call_unchecked(name, args)?;
    if v.size_up_to(MAX_VALUE_BYTES) > MAX_VALUE_BYTES {
        return too_large("the result");
    }
    Ok(v)
}

fn call_unchecked(name: &str, args: &[Value]) -> R {
    match name {
        "format" => {
            arity(name, args, 1, usize::MAX)?;
            Ok(Value::String(format(&to_str(&args[0])?, &args[1..])?))
        }
        "formatlist" => {
            arity(name, args, 1, usize::MAX)?;
            let f = to_str(&args[0])?;
            let mut n: Option<usize> = None;
            for a in &args[1..] {
                if let Value::List(l) = known(a)? {
                    if n.is_some_and(|n| n != l.len()) {
                        return err("formatlist() lists must have the same length");
                    }
                    n = Some(l.len());
                }
            }
            let n = n.unwrap_or(1);
            let mut out = Vec::with_capacity(n);
            let mut total = 0usize;
            for i in 0..n {
                let row: Vec<Value> = args[1..]
                    .iter()
                    .map(|a| match a {
                        Value::List(l) => l.get(i).cloned().unwrap_or(Value::Null),
                        v => v.clone(),
                    })
                    .collect();
                let s = format(&f, &row)?;
                total = total.saturating_add(s.size() + 32);
                if total > MAX_VALUE_BYTES {
                    return too_large("the result");
                }
                out.push(Value::String(s));
            }
            Ok(Value::List(out))
        }
        "join" => {
            arity(name, args, 2, usize::MAX)?;
            let sep = to_str(&args[0])?;
            let mut out = Str::default();
            let mut first = true;
            for l in &args[1..] {
                for v in list(l)? {
                    if !first {
                        out.push_str(&sep);
                    }
                    first = false;
                    out.push_str(&to_str(v)?);
                    check_str(&out)?;
                }
            }
            Ok(Value::String(out))
        }
        "split" => {
            arity(name, args, 2, 2)?;
            let sep = to_str(&args[0])?;
            let s = to_str(&args[1])?;
            // As Go's strings.Split: splitting "" gives [""] (nothing at all only by "").
            if s.text.is_empty() && sep.text.is_empty() {
                return Ok(Value::List(vec![]));
            }
            let pieces = if sep.text.is_empty() {
                s.text.chars().count()
            } else {
                s.text.matches(sep.text.as_str()).count() + 1
            };
            if pieces.saturating_mul(64) > MAX_VALUE_BYTES {
                return too_large("the result");
            }
            if sep.text.is_empty() {
                return Ok(Value::List(
                    s.text.chars().map(|c| Value::str(c.to_string())).collect(),
                ));
            }
            let mut out = Vec::new();
            let mut at = 0;
            for (i, _) in s.text.match_indices(sep.text.as_str()) {
                out.push(Value::String(s.slice(at, i)));
                at = i + sep.text.len();
            }
            out.push(Value::String(s.slice(at, s.text.len())));
            Ok(Value::List(out))
        }
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                out.extend(list(l)?.iter().cloned());
            }
            Ok(Value::List(out))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for m in args {
                if matches!(m, Value::Null) {
                    continue;
                }
                for (k, v) in map(m)? {
                    out.insert(k.clone(), v.clone());
                }
            }
            Ok(Value::Map(out))
        }
        "lookup" => {
            arity(name, args, 2, 3)?;
            let m = map(&args[0])?;
            let k = to_str(&args[1])?;
            match (m.get(&k.text), args.get(2)) {
                (Some(v), _) => Ok(v.clone()),
                (None, Some(d)) => Ok(d.clone()),
                (None, None) => err(format!("lookup() found no key \"{}\"", k.text)),
            }
        }
        "element" => {
            arity(name, args, 2, 2)?;
            let l = list(&args[0])?;
            let i = int(&args[1])?;
            if l.is_empty() {
                return err("element() cannot use an empty list");
            }
            if i < 0 {
                return err("element() index must not be negative");
            }
            Ok(l[(i as usize) % l.len()].clone())
        }
        "coalesce" => {
            // The arguments take one type first, as in Terraform: with a string among
            // numbers and bools, all are strings.
            let args = unify_primitives(args);
            for a in &args {
                match known(a)? {
                    Value::Null => continue,
                    Value::String(s) if s.text.is_empty() => continue,
                    v => return Ok(v.clone()),
                }
            }
            err("coalesce() found no non-null, non-empty argument")
        }
        "coalescelist" => {
            for a in args {
                if !list(a)?.is_empty() {
                    return Ok(a.clone());
                }
            }
            err("coalescelist() found no non-empty list")
        }
        "compact" => {
            arity(name, args, 1, 1)?;
            let mut out = Vec::new();
            for v in list(&args[0])? {
                match known(v)? {
                    Value::Null => {}
                    Value::String(s) if s.text.is_empty() => {}
                    v => out.push(v.clone()),
                }
            }
            Ok(Value::List(out))
        }
        "distinct" => {
            arity(name, args, 1, 1)?;
            Ok(Value::List(distinct(list(&args[0])?.clone())))
        }
        "flatten" => {
            arity(name, args, 1, 1)?;
            let mut out = Vec::new();
            flatten(list(&args[0])?, &mut out)?;
            Ok(Value::List(out))
        }
        "contains" => {
            arity(name, args, 2, 2)?;
            let l = list(&args[0])?;
            known(&args[1])?;
            if l.contains(&args[1]) {
                return Ok(Value::Bool(true));
            }
            if let Some(v) = l.iter().find(|v| !v.is_known()) {
                known(v)?;
            }
            Ok(Value::Bool(false))
        }
        "length" => {
            arity(name, args, 1, 1)?;
            Ok(Value::Number(match known(&args[0])? {
                Value::String(s) => s.text.chars().count() as f64,
                Value::List(l) => l.len() as f64,
                Value::Map(m) => m.len() as f64,
                v => return err(format!("length() cannot take a {}", v.type_name())),
            }))
        }
        "keys" => {
            arity(name, args, 1, 1)?;
            Ok(Value::List(
                map(&args[0])?
                    .keys()
                    .map(|k| Value::str(k.clone()))
                    .collect(),
            ))
        }
        "values" => {
            arity(name, args, 1, 1)?;
            Ok(Value::List(map(&args[0])?.values().cloned().collect()))
        }
        "toset" => {
            arity(name, args, 1, 1)?;
            Ok(make_set(list(&args[0])?.clone()))
        }
        "tolist" => {
            arity(name, args, 1, 1)?;
            Ok(Value::List(list(&args[0])?.clone()))
        }
        "tomap" => {
            arity(name, args, 1, 1)?;
            let m = map(&args[0])?;
            let values: Vec<Value> = m.values().cloned().collect();
            Ok(Value::Map(
                m.keys().cloned().zip(unify_primitives(&values)).collect(),
            ))
        }
        "tostring" => {
            arity(name, args, 1, 1)?;
            if matches!(args[0], Value::Null) {
                return Ok(Value::Null);
            }
            Ok(Value::String(to_str(&args[0])?))
        }
        "tonumber" => {
            arity(name, args, 1, 1)?;
            if matches!(args[0], Value::Null) {
                return Ok(Value::Null);
            }
            Ok(Value::Number(to_num(&args[0])?))
        }
        "tobool" => {
            arity(name, args, 1, 1)?;
            if matches!(args[0], Value::Null) {
                return Ok(Value::Null);
            }
            Ok(Value::Bool(to_bool(&args[0])?))
        }
        "lower" | "upper" | "title" | "trimspace" | "chomp" => {
            arity(name, args, 1, 1)?;
            let s = to_str(&args[0])?;
            let out = match name {
                "lower" => s
                    .text
                    .chars()
                    .map(|c| simple_case(c, char::to_lowercase))
                    .collect(),
                "upper" => s
                    .text
                    .chars()
                    .map(|c| simple_case(c, char::to_uppercase))
                    .collect(),
                "title" => title(&s.text),
                "chomp" => {
                    let t = s.text.trim_end_matches(['\n', '\r']).len();
                    return Ok(Value::String(s.slice(0, t)));
                }
                _ => {
                    let start = s.text.len() - s.text.trim_start().len();
                    let end = s.text.trim_end().len().max(start);
                    return Ok(Value::String(s.slice(start, end)));
                }
            };
            if out == s.text {
                return Ok(Value::String(s));
            }
            Ok(Value::str(out))
        }
        "trim" => {
            arity(name, args, 2, 2)?;
            let s = to_str(&args[0])?;
            let cut = to_str(&args[1])?;
            let set: Vec<char> = cut.text.chars().collect();
            let start = s.text.len() - s.text.trim_start_matches(set.as_slice()).len();
            let end = s.text.trim_end_matches(set.as_slice()).len().max(start);
            Ok(Value::String(s.slice(start, end)))
        }
        "trimprefix" | "trimsuffix" => {
            arity(name, args, 2, 2)?;
            let s = to_str(&args[0])?;
            let a = to_str(&args[1])?;
            let n = s.text.len();
            let (x, y) = if name == "trimprefix" && s.text.starts_with(&a.text) {
                (a.text.len(), n)
            } else if name == "trimsuffix" && s.text.ends_with(&a.text) {
                (0, n - a.text.len())
            } else {
                (0, n)
            };
            Ok(Value::String(s.slice(x, y)))
        }
        "substr" => {
            arity(name, args, 3, 3)?;
            let s = to_str(&args[0])?;
            let chars: Vec<(usize, char)> = s.text.char_indices().collect();
            let n = chars.len() as i64;
            let given = int(&args[1])?;
            let len = int(&args[2])?;
            let off = if given < 0 { given + n } else { given };
            // An offset outside the string gives "" (Terraform 1.11), not an error.
            if off < 0 || off > n {
                return Ok(Value::str(""));
            }
            // Terraform (1.11) takes the rest for a negative length, and also for length 0
            // with an offset from the end (`substr("abcdef", -2, 0)` is "ef").
            let end = if len < 0 || (len == 0 && given < 0) {
                n
            } else {
                (off + len).min(n)
            };
            let byte = |i: i64| chars.get(i as usize).map_or(s.text.len(), |c| c.0);
            Ok(Value::String(s.slice(byte(off), byte(end))))
        }
        "replace" => {
            arity(name, args, 3, 3)?;
            let s = to_str(&args[0])?;
            let sub = to_str(&args[1])?;
            let rep = to_str(&args[2])?;
            let t = &sub.text;
            if t.len() > 1 && t.starts_with('/') && t.ends_with('/') {
                let re = compile(&t[1..t.len() - 1])?;
                let matches = re.find_iter(&s.text).count();
                if matches
                    .saturating_mul(rep.text.len())
                    .saturating_add(s.text.len())
                    > MAX_VALUE_BYTES
                {
                    return too_large("the result");
                }
                let rep = rep.text.replace("$$", "\u{0}").replace('\\', "$");
                let out = re.replace_all(&s.text, rep.as_str()).replace('\u{0}', "$");
                return Ok(Value::str(out));
            }
            if t.is_empty() {
                // As Go's strings.Replace: an empty match before every character and at
                // the end.
                let mut out = Str::default();
                for (i, c) in s.text.char_indices() {
                    out.push_str(&rep);
                    out.push_str(&s.slice(i, i + c.len_utf8()));
                    check_str(&out)?;
                }
                out.push_str(&rep);
                return Ok(Value::String(out));
            }
            let mut out = Str::default();
            let mut at = 0;
            for (i, _) in s.text.match_indices(t.as_str()) {
                out.push_str(&s.slice(at, i));
                out.push_str(&rep);
                check_str(&out)?;
                at = i + t.len();
            }
            out.push_str(&s.slice(at, s.text.len()));
            Ok(Value::String(out))
        }
        "jsonencode" => {
            arity(name, args, 1, 1)?;
            Ok(Value::str(go_json(&jsonencode(&args[0])?)))
        }
        "jsondecode" => {
            arity(name, args, 1, 1)?;
            let s = to_str(&args[0])?;
            serde_json::from_str::<serde_json::Value>(&s.text)
                .map(|j| Value::from_json(&j))
                .or_else(|e| err(format!("jsondecode(): {e}")))
        }
        "yamldecode" => {
            arity(name, args, 1, 1)?;
            let s = to_str(&args[0])?;
            serde_norway::from_str::<serde_json::Value>(&s.text)
                .map(|j| Value::from_json(&j))
                .or_else(|e| err(format!("yamldecode(): {e}")))
        }
        "regex" | "regexall" => {
            arity(name, args, 2, 2)?;
            let re = compile(&to_str(&args[0])?.text)?;
            let s = to_str(&args[1])?;
            let one = |c: regex::Captures<'_>| -> Value {
                let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
                if names.is_empty() {
                    let m = c.get(0).map_or((0, 0), |m| (m.start(), m.end()));
                    Value::String(s.slice(m.0, m.1))
                } else if names.iter().all(Option::is_some) {
                    Value::Map(
                        names
                            .iter()
                            .flatten()
                            .map(|n| {
                                let v = c.name(n).map_or(Value::Null, |m| {
                                    Value::String(s.slice(m.start(), m.end()))
                                });
                                (n.to_string(), v)
                            })
                            .collect(),
                    )
                } else {
                    Value::List(
                        (1..c.len())
                            .map(|i| {
                                c.get(i).map_or(Value::Null, |m| {
                                    Value::String(s.slice(m.start(), m.end()))
                                })
                            })
                            .collect(),
                    )
                }
            };
            if name == "regex" {
                match re.captures(&s.text) {
                    Some(c) => Ok(one(c)),
                    None => err("regex() pattern did not match"),
                }
            } else {
                Ok(Value::List(re.captures_iter(&s.text).map(one).collect()))
            }
        }
        "startswith" | "endswith" => {
            arity(name, args, 2, 2)?;
            let s = to_str(&args[0])?;
            let a = to_str(&args[1])?;
            Ok(Value::Bool(if name == "startswith" {
                s.text.starts_with(&a.text)
            } else {
                s.text.ends_with(&a.text)
            }))
        }
        "zipmap" => {
            arity(name, args, 2, 2)?;
            let k = list(&args[0])?;
            let v = list(&args[1])?;
            if k.len() != v.len() {
                return err("zipmap() lists must have the same length");
            }
            let mut out = BTreeMap::new();
            for (k, v) in k.iter().zip(v) {
                out.insert(to_str(k)?.text, v.clone());
            }
            Ok(Value::Map(out))
        }
        "range" => {
            arity(name, args, 1, 3)?;
            let n: Vec<f64> = args.iter().map(to_num).collect::<Result<_, _>>()?;
            let (start, end, step) = match n.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => return err("range() takes 1 to 3 arguments"),
            };
            if step == 0.0 || (end > start && step < 0.0) || (end < start && step > 0.0) {
                return err("range() step must move from start towards the limit");
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                if out.len() >= 1024 {
                    return err("range() would produce more than 1024 elements");
                }
                out.push(Value::Number(x));
                x += step;
            }
            Ok(Value::List(out))
        }
        "max" | "min" | "sum" => {
            let items: Vec<Value> = if name == "sum" {
                arity(name, args, 1, 1)?;
                list(&args[0])?.clone()
            } else {
                args.to_vec()
            };
            let n: Vec<f64> = items.iter().map(to_num).collect::<Result<_, _>>()?;
            if n.is_empty() {
                return err(format!("{name}() needs at least one number"));
            }
            Ok(Value::Number(match name {
                "max" => n.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                "min" => n.iter().copied().fold(f64::INFINITY, f64::min),
                _ => n.iter().sum(),
            }))
        }
        "abs" | "ceil" | "floor" => {
            arity(name, args, 1, 1)?;
            let n = to_num(&args[0])?;
            Ok(Value::Number(match name {
                "abs" => n.abs(),
                "ceil" => n.ceil(),
                _ => n.floor(),
            }))
        }
        "reverse" => {
            arity(name, args, 1, 1)?;
            let mut l = list(&args[0])?.clone();
            l.reverse();
            Ok(Value::List(l))
        }
        "sort" => {
            arity(name, args, 1, 1)?;
            let mut l: Vec<Str> = list(&args[0])?
                .iter()
                .map(to_str)
                .collect::<Result<_, _>>()?;
            l.sort_by(|a, b| a.text.cmp(&b.text));
            Ok(Value::List(l.into_iter().map(Value::String).collect()))
        }
        "slice" => {
            arity(name, args, 3, 3)?;
            let l = list(&args[0])?;
            let (a, b) = (int(&args[1])?, int(&args[2])?);
            if a < 0 || b < a || b as usize > l.len() {
                return err("slice() indices are out of range");
            }
            Ok(Value::List(l[a as usize..b as usize].to_vec()))
        }
        "one" => {
            arity(name, args, 1, 1)?;
            match list(&args[0])?.as_slice() {
                [] => Ok(Value::Null),
                [v] => Ok(v.clone()),
                _ => err("one() needs a list of zero or one element"),
            }
        }
        "alltrue" | "anytrue" => {
            arity(name, args, 1, 1)?;
            let b: Vec<bool> = list(&args[0])?
                .iter()
                .map(to_bool)
                .collect::<Result<_, _>>()?;
            Ok(Value::Bool(if name == "alltrue" {
                b.iter().all(|x| *x)
            } else {
                b.iter().any(|x| *x)
            }))
        }
        "index" => {
            arity(name, args, 2, 2)?;
            let l = list(&args[0])?;
            match l.iter().position(|v| v == &args[1]) {
                Some(i) => Ok(Value::Number(i as f64)),
                None => err("index() did not find the value in the list"),
            }
        }
        "basename" | "dirname" => {
            arity(name, args, 1, 1)?;
            let s = to_str(&args[0])?;
            let t = s.text.trim_end_matches('/');
            let cut = t.rfind('/');
            // As Go's filepath.Base: "" is "." and "/" is "/".
            if name == "basename" && t.is_empty() {
                return Ok(Value::str(if s.text.is_empty() { "." } else { "/" }));
            }
            Ok(Value::String(match (name, cut) {
                ("basename", Some(i)) => s.slice(i + 1, t.len()),
                ("basename", None) => s.slice(0, t.len()),
                (_, Some(0)) => Str::plain("/"),
                (_, Some(i)) => s.slice(0, i),
                (_, None) => Str::plain("."),
            }))
        }
        "sensitive" | "nonsensitive" => {
            arity(name, args, 1, 1)?;
            Ok(args[0].clone())
        }
        "strcontains" => {
            arity(name, args, 2, 2)?;
            Ok(Value::Bool(
                to_str(&args[0])?.text.contains(&to_str(&args[1])?.text),
            ))
        }
        "setunion" | "setintersection" | "setsubtract" => {
            arity(name, args, 1, usize::MAX)?;
            let sets: Vec<&Vec<Value>> = args.iter().map(list).collect::<Result<_, _>>()?;
            let first = sets[0].clone();
            let out: Vec<Value> = match name {
                "setunion" => sets.iter().flat_map(|s| s.iter().cloned()).collect(),
                "setintersection" => {
                    let others: Vec<Members> = sets[1..].iter().map(|s| Members::of(s)).collect();
                    first
                        .into_iter()
                        .filter(|v| others.iter().all(|s| s.contains(v)))
                        .collect()
                }
                _ => {
                    if sets.len() != 2 {
                        return err("setsubtract() takes 2 arguments");
                    }
                    let minus = Members::of(sets[1]);
                    first.into_iter().filter(|v| !minus.contains(v)).collect()
                }
            };
            Ok(make_set(out))
        }
        _ => Err(FnError::Unknown(format!(
            "function {name}() is not modelled by trailwatch"
        ))),
    }
}

fn flatten(l: &[Value], out: &mut Vec<Value>) -> Result<(), FnError> {
    for v in l {
        match v {
            Value::List(inner) => flatten(inner, out)?,
            Value::Unknown(_) | Value::Reference(_) => {
                known(v)?;
            }
            v => out.push(v.clone()),
        }
    }
    Ok(())
}

/// Values made one type the way Terraform unifies a list of primitives: when strings are
/// mixed with numbers or bools, every number and bool becomes its string.
pub fn unify_primitives(values: &[Value]) -> Vec<Value> {
    let has = |f: fn(&Value) -> bool| values.iter().any(f);
    let mixed = has(|v| matches!(v, Value::String(_)))
        && has(|v| matches!(v, Value::Number(_) | Value::Bool(_)));
    values
        .iter()
        .map(|v| match v {
            Value::Number(_) | Value::Bool(_) if mixed => {
                to_str(v).map_or(v.clone(), Value::String)
            }
            v => v.clone(),
        })
        .collect()
}

/// One character's case mapping as Go's (Terraform's) `unicode.ToUpper`/`ToLower`: one
/// character for one (`ß` stays `ß`; Rust's full mapping would give `SS`).
fn simple_case<I: Iterator<Item = char>>(c: char, map: impl Fn(char) -> I) -> char {
    let mut m = map(c);
    match (m.next(), m.next()) {
        (Some(one), None) => one,
        // `İ` lowers to `i` plus a combining dot in Rust, to `i` in Go; `ß` stays.
        (Some('i'), Some(_)) if c == 'İ' => 'i',
        _ => c,
    }
}

/// JSON text as Go's encoding/json writes it (Terraform's jsonencode): `<`, `>` and `&`
/// escaped as `\u003c`, `\u003e`, `\u0026`, and U+2028/U+2029 as well. They occur only
/// inside strings, so replacing them in the text is exact.
pub fn go_json(v: &serde_json::Value) -> String {
    let text = v.to_string();
    if !text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.push(simple_case(c, char::to_uppercase));
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

fn compile(pattern: &str) -> Result<regex::Regex, FnError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .or_else(|e| err(format!("invalid regular expression: {e}")))
}

pub fn jsonencode(v: &Value) -> Result<serde_json::Value, FnError> {
    Ok(match known(v)? {
        Value::List(l) => {
            serde_json::Value::Array(l.iter().map(jsonencode).collect::<Result<_, _>>()?)
        }
        Value::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), jsonencode(v)?)))
                .collect::<Result<_, FnError>>()?,
        ),
        Value::Resource(r) => {
            return Err(FnError::Unknown(format!(
                "{} as a whole is known only after apply",
                r.address
            )));
        }
        v => v.to_json(),
    })
}

/// Terraform's `format` verbs: `%s %d %f %.Nf %t %v %q %%`, with flags and width ignored.
fn format(f: &Str, args: &[Value]) -> Result<Str, FnError> {
    let mut out = Str::default();
    let t = &f.text;
    let mut next = 0;
    let mut lit_start = 0;
    let mut i = 0;
    let bytes = t.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        out.push_str(&f.slice(lit_start, i));
        let spec_start = i;
        i += 1;
        if bytes.get(i) == Some(&b'%') {
            out.push_plain("%");
            i += 1;
            lit_start = i;
            continue;
        }
        // Explicit argument index `%[2]s`.
        let mut index = None;
        if bytes.get(i) == Some(&b'[') {
            let close = t[i..].find(']').map(|c| c + i);
            let Some(close) = close else {
                return err("format() has an unterminated [n] index");
            };
            index = t[i + 1..close]
                .parse::<usize>()
                .ok()
                .map(|n| n.saturating_sub(1));
            i = close + 1;
        }
        // Flags and width, as Go's fmt (which Terraform's format follows) reads them.
        let flags_start = i;
        while i < bytes.len() && b"+- #0".contains(&bytes[i]) {
            i += 1;
        }
        let flags = &t[flags_start..i];
        let width_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let width: usize = t[width_start..i].parse().unwrap_or(0);
        if width > 1000 {
            return err("format() width is larger than 1000");
        }
        let mut precision = None;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            let p0 = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            precision = t[p0..i].parse::<usize>().ok();
        }
        let Some(&verb) = bytes.get(i) else {
            return err(format!("format() verb at {spec_start} is incomplete"));
        };
        i += 1;
        lit_start = i;
        if precision.is_some_and(|p| p > 1000) {
            return err("format() precision is larger than 1000");
        }
        check_str(&out)?;
        let n = index.unwrap_or(next);
        next = n + 1;
        let Some(arg) = args.get(n) else {
            return err(format!("format() has too few arguments for \"{t}\""));
        };
        let signed = |n: f64, text: String| {
            if flags.contains('+') && n >= 0.0 {
                format!("+{text}")
            } else {
                text
            }
        };
        let numeric = matches!(verb, b'd' | b'f');
        let piece = match verb {
            b's' => to_str(arg)?,
            b'd' => {
                let n = to_num(arg)?;
                Str::plain(signed(n, format!("{}", n.trunc() as i64)))
            }
            b'f' => {
                let n = to_num(arg)?;
                Str::plain(signed(n, format!("{:.*}", precision.unwrap_or(6), n)))
            }
            b't' => Str::plain(to_bool(arg)?.to_string()),
            b'q' => Str::plain(go_json(&serde_json::Value::String(to_str(arg)?.text))),
            b'v' => match known(arg)? {
                Value::String(s) => s.clone(),
                v @ (Value::List(_) | Value::Map(_)) => Str::plain(jsonencode(v)?.to_string()),
                v => to_str(v)?,
            },
            other => {
                return err(format!(
                    "format() verb %{} is not supported",
                    char::from(other)
                ));
            }
        };
        let pad = width.saturating_sub(piece.text.chars().count());
        if pad == 0 {
            out.push_str(&piece);
        } else if flags.contains('-') {
            out.push_str(&piece);
            out.push_plain(&" ".repeat(pad));
        } else if flags.contains('0') && numeric {
            // Zeros go after the sign.
            let text = &piece.text;
            let sign = usize::from(text.starts_with(['-', '+']));
            out.push_plain(&format!(
                "{}{}{}",
                &text[..sign],
                "0".repeat(pad),
                &text[sign..]
            ));
        } else {
            out.push_plain(&" ".repeat(pad));
            out.push_str(&piece);
        }
    }
    out.push_str(&f.slice(lit_start, t.len()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }
    fn n(x: f64) -> Value {
        Value::Number(x)
    }
    fn l(items: &[Value]) -> Value {
        Value::List(items.to_vec())
    }
    fn m(items: &[(&str, Value)]) -> Value {
        Value::Map(
            items
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
    fn ok(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }
    fn fails(name: &str, args: &[Value]) {
        assert!(
            matches!(call(name, args), Err(FnError::Error(_))),
            "{name} should fail: {:?}",
            call(name, args)
        );
    }
    fn unk() -> Value {
        Value::unknown("var.x has no value")
    }

    #[test]
    fn format_fn() {
        assert_eq!(ok("format", &[s("%s-%d"), s("a"), n(3.0)]), s("a-3"));
        assert_eq!(ok("format", &[s("%.2f%%"), n(1.5)]), s("1.50%"));
        assert_eq!(ok("format", &[s("%q"), s("a\"b")]), s("\"a\\\"b\""));
        assert_eq!(ok("format", &[s("%[2]s%[1]s"), s("a"), s("b")]), s("ba"));
        assert_eq!(ok("format", &[s("%v"), l(&[s("a")])]), s("[\"a\"]"));
        fails("format", &[s("%s")]);
        fails("format", &[s("%z"), s("a")]);
        fails("format", &[s("%d"), s("x")]);
        assert!(matches!(
            call("format", &[s("%s"), unk()]),
            Err(FnError::Unknown(_))
        ));
    }

    #[test]
    fn formatlist_fn() {
        assert_eq!(
            ok("formatlist", &[s("%s=%s"), l(&[s("a"), s("b")]), s("x")]),
            l(&[s("a=x"), s("b=x")])
        );
        fails("formatlist", &[s("%s%s"), l(&[s("a")]), l(&[])]);
    }

    #[test]
    fn join_and_split() {
        assert_eq!(ok("join", &[s(","), l(&[s("a"), n(1.0)])]), s("a,1"));
        assert_eq!(ok("join", &[s(","), l(&[])]), s(""));
        fails("join", &[s(",")]);
        fails("join", &[s(","), s("a")]);
        assert!(matches!(
            call("join", &[s(","), l(&[unk()])]),
            Err(FnError::Unknown(_))
        ));
        assert_eq!(
            ok("split", &[s(","), s("a,b,")]),
            l(&[s("a"), s("b"), s("")])
        );
        // As `terraform console` (1.11): [""] and [].
        assert_eq!(ok("split", &[s(","), s("")]), l(&[s("")]));
        assert_eq!(ok("split", &[s(""), s("")]), l(&[]));
        fails("split", &[s(",")]);
    }

    #[test]
    fn collections() {
        assert_eq!(
            ok("concat", &[l(&[s("a")]), l(&[s("b")])]),
            l(&[s("a"), s("b")])
        );
        fails("concat", &[s("a")]);
        assert_eq!(
            ok(
                "merge",
                &[m(&[("a", n(1.0))]), Value::Null, m(&[("a", n(2.0))])]
            ),
            m(&[("a", n(2.0))])
        );
        fails("merge", &[l(&[])]);
        assert_eq!(ok("lookup", &[m(&[("a", n(1.0))]), s("a")]), n(1.0));
        assert_eq!(ok("lookup", &[m(&[]), s("a"), s("d")]), s("d"));
        fails("lookup", &[m(&[]), s("a")]);
        assert_eq!(ok("element", &[l(&[s("a"), s("b")]), n(3.0)]), s("b"));
        fails("element", &[l(&[]), n(0.0)]);
        fails("element", &[l(&[s("a")]), n(-1.0)]);
        assert_eq!(ok("coalesce", &[Value::Null, s(""), s("x")]), s("x"));
        fails("coalesce", &[Value::Null]);
        assert_eq!(
            ok("compact", &[l(&[s("a"), s(""), Value::Null])]),
            l(&[s("a")])
        );
        fails("compact", &[s("a")]);
        assert_eq!(
            ok("distinct", &[l(&[s("a"), s("a"), s("b")])]),
            l(&[s("a"), s("b")])
        );
        fails("distinct", &[n(1.0)]);
        assert_eq!(
            ok("flatten", &[l(&[l(&[s("a")]), s("b"), l(&[l(&[s("c")])])])]),
            l(&[s("a"), s("b"), s("c")])
        );
        fails("flatten", &[s("a")]);
        assert_eq!(ok("contains", &[l(&[s("a")]), s("a")]), Value::Bool(true));
        assert_eq!(ok("contains", &[l(&[s("a")]), s("b")]), Value::Bool(false));
        fails("contains", &[s("a"), s("a")]);
        assert_eq!(ok("length", &[s("héllo")]), n(5.0));
        assert_eq!(ok("length", &[m(&[("a", n(1.0))])]), n(1.0));
        fails("length", &[n(1.0)]);
        assert_eq!(
            ok("keys", &[m(&[("b", n(1.0)), ("a", n(2.0))])]),
            l(&[s("a"), s("b")])
        );
        assert_eq!(
            ok("values", &[m(&[("b", n(1.0)), ("a", n(2.0))])]),
            l(&[n(2.0), n(1.0)])
        );
        fails("keys", &[l(&[])]);
        fails("values", &[s("a")]);
        assert_eq!(
            ok("toset", &[l(&[s("b"), s("a"), s("b")])]),
            l(&[s("a"), s("b")])
        );
        fails("toset", &[s("a")]);
        assert_eq!(ok("tolist", &[l(&[s("a")])]), l(&[s("a")]));
        fails("tolist", &[s("a")]);
        assert_eq!(ok("tomap", &[m(&[("a", n(1.0))])]), m(&[("a", n(1.0))]));
        fails("tomap", &[s("a")]);
        assert_eq!(
            ok("zipmap", &[l(&[s("a")]), l(&[n(1.0)])]),
            m(&[("a", n(1.0))])
        );
        fails("zipmap", &[l(&[s("a")]), l(&[])]);
        assert_eq!(ok("range", &[n(3.0)]), l(&[n(0.0), n(1.0), n(2.0)]));
        assert_eq!(ok("range", &[n(1.0), n(7.0), n(3.0)]), l(&[n(1.0), n(4.0)]));
        assert_eq!(ok("range", &[n(3.0), n(1.0)]), l(&[n(3.0), n(2.0)]));
        fails("range", &[n(1.0), n(3.0), n(0.0)]);
        fails("range", &[n(5000.0)]);
        fails("range", &[]);
    }

    #[test]
    fn strings() {
        assert_eq!(ok("lower", &[s("AbC")]), s("abc"));
        assert_eq!(ok("upper", &[s("AbC")]), s("ABC"));
        fails("lower", &[l(&[])]);
        fails("upper", &[]);
        assert_eq!(ok("replace", &[s("a-b-c"), s("-"), s("_")]), s("a_b_c"));
        assert_eq!(
            ok("replace", &[s("a1b22"), s("/[0-9]+/"), s("#")]),
            s("a#b#")
        );
        fails("replace", &[s("a"), s("/(/"), s("")]);
        assert_eq!(ok("trimspace", &[s("  a b \n")]), s("a b"));
        fails("trimspace", &[Value::Null]);
        assert_eq!(ok("startswith", &[s("abc"), s("ab")]), Value::Bool(true));
        assert_eq!(ok("endswith", &[s("abc"), s("ab")]), Value::Bool(false));
        fails("startswith", &[s("a")]);
        fails("endswith", &[s("a"), l(&[])]);
        assert_eq!(ok("substr", &[s("hello"), n(1.0), n(3.0)]), s("ell"));
        assert_eq!(ok("trimprefix", &[s("alias/x"), s("alias/")]), s("x"));
        assert_eq!(ok("title", &[s("hello world")]), s("Hello World"));
    }

    #[test]
    fn encodings() {
        assert_eq!(
            ok(
                "jsonencode",
                &[m(&[("b", n(1.0)), ("a", l(&[s("x"), Value::Bool(true)]))])]
            ),
            s(r#"{"a":["x",true],"b":1}"#)
        );
        assert!(matches!(
            call("jsonencode", &[l(&[unk()])]),
            Err(FnError::Unknown(_))
        ));
        assert_eq!(
            ok("jsondecode", &[s(r#"{"a":[1,"x"]}"#)]),
            m(&[("a", l(&[n(1.0), s("x")]))])
        );
        assert_eq!(
            ok("yamldecode", &[s("a: [1, x]\nb: |\n  line\nc: true\n")]),
            m(&[
                ("a", l(&[n(1.0), s("x")])),
                ("b", s("line\n")),
                ("c", Value::Bool(true))
            ])
        );
        assert!(call("yamldecode", &[s("a: [")]).is_err());
        fails("jsondecode", &[s("{")]);
        assert_eq!(
            ok("yamldecode", &[s("events:\n  - A\n  - B\n")]),
            m(&[("events", l(&[s("A"), s("B")]))])
        );
        fails("yamldecode", &[s("a: [")]);
    }

    #[test]
    fn regexes() {
        assert_eq!(ok("regex", &[s("[a-z]+"), s("12abc3")]), s("abc"));
        assert_eq!(
            ok("regex", &[s("(\\d)(\\d)"), s("a12")]),
            l(&[s("1"), s("2")])
        );
        assert_eq!(
            ok("regex", &[s("(?P<x>\\d)"), s("a1")]),
            m(&[("x", s("1"))])
        );
        fails("regex", &[s("x"), s("abc")]);
        fails("regex", &[s("("), s("abc")]);
        assert_eq!(ok("regexall", &[s("\\d"), s("a1b2")]), l(&[s("1"), s("2")]));
        assert_eq!(ok("regexall", &[s("\\d"), s("ab")]), l(&[]));
        fails("regexall", &[s("["), s("abc")]);
    }

    #[test]
    fn paths_and_sets() {
        assert_eq!(ok("basename", &[s("a/b/c.tf")]), s("c.tf"));
        assert_eq!(ok("basename", &[s("c")]), s("c"));
        assert_eq!(ok("dirname", &[s("a/b/c.tf")]), s("a/b"));
        assert_eq!(ok("dirname", &[s("c")]), s("."));
        fails("basename", &[l(&[])]);
        assert_eq!(ok("strcontains", &[s("abc"), s("b")]), Value::Bool(true));
        fails("strcontains", &[s("abc")]);
        assert_eq!(
            ok("setunion", &[l(&[s("b")]), l(&[s("a"), s("b")])]),
            l(&[s("a"), s("b")])
        );
        assert_eq!(
            ok("setintersection", &[l(&[s("a"), s("b")]), l(&[s("b")])]),
            l(&[s("b")])
        );
        assert_eq!(
            ok("setsubtract", &[l(&[s("a"), s("b")]), l(&[s("b")])]),
            l(&[s("a")])
        );
        fails("setsubtract", &[l(&[s("a")])]);
        fails("setunion", &[s("a")]);
        assert_eq!(ok("sensitive", &[s("x")]), s("x"));
    }

    #[test]
    fn not_modelled_is_unknown() {
        assert!(
            matches!(call("cidrsubnet", &[]), Err(FnError::Unknown(m)) if m.contains("not modelled"))
        );
    }

    #[test]
    fn join_keeps_origin() {
        use crate::terraform::source::{FileId, OffsetMap};
        let a = Value::String(Str::from_source(
            "AB".into(),
            OffsetMap::linear(FileId(1), 10),
        ));
        let b = Value::String(Str::from_source(
            "CD".into(),
            OffsetMap::linear(FileId(1), 20),
        ));
        let Value::String(j) = ok("join", &[s(" || "), l(&[a, b])]) else {
            panic!()
        };
        assert_eq!(j.text, "AB || CD");
        assert_eq!(j.source_of(1), Some((FileId(1), 11)));
        assert_eq!(j.source_of(7), Some((FileId(1), 21)));
        assert_eq!(j.source_of(3), None);
    }
}
