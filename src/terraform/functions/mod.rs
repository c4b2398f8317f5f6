//! Terraform's built-in functions that monitoring configurations use. `try`, `can`, `file`
//! and `templatefile` need the evaluator and live there.

use std::collections::BTreeMap;

use super::value::{Str, Value, number_to_string};

mod collections;
mod encoding;
mod numbers;
mod strings;

pub use encoding::{go_json, jsonencode};

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
        "format" | "formatlist" | "join" | "split" | "tostring" | "lower" | "upper" | "title"
        | "trimspace" | "chomp" | "trim" | "trimprefix" | "trimsuffix" | "substr" | "replace"
        | "regex" | "regexall" | "startswith" | "endswith" | "basename" | "dirname"
        | "strcontains" => strings::call(name, args),
        "jsonencode" | "jsondecode" | "yamldecode" => encoding::call(name, args),
        "tonumber" | "tobool" | "range" | "max" | "min" | "sum" | "abs" | "ceil" | "floor" => {
            numbers::call(name, args)
        }
        "concat" | "merge" | "lookup" | "element" | "coalesce" | "coalescelist" | "compact"
        | "distinct" | "flatten" | "contains" | "length" | "keys" | "values" | "toset"
        | "tolist" | "tomap" | "zipmap" | "reverse" | "sort" | "slice" | "one" | "alltrue"
        | "anytrue" | "index" | "sensitive" | "nonsensitive" | "setunion" | "setintersection"
        | "setsubtract" => collections::call(name, args),
        _ => unknown(name),
    }
}

/// The error of a function trailwatch does not model.
fn unknown(name: &str) -> R {
    Err(FnError::Unknown(format!(
        "function {name}() is not modelled by trailwatch"
    )))
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
