//! Variable type constraints, enough to convert values and apply `optional()` defaults.

use std::collections::BTreeMap;

use super::ast::{Expr, ExprKind};
use super::functions::make_set;
use super::value::{Str, Value, number_to_string};

#[derive(Debug, Clone)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(BTreeMap<String, Field>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Value>,
}

/// Reads a type expression; `eval` evaluates `optional()` defaults.
pub fn parse(e: &Expr, eval: &dyn Fn(&Expr) -> Value) -> Type {
    match &e.kind {
        ExprKind::Var(n) => match n.as_str() {
            "string" => Type::String,
            "number" => Type::Number,
            "bool" => Type::Bool,
            _ => Type::Any,
        },
        ExprKind::Call { name, args, .. } => {
            let inner = || Box::new(args.first().map_or(Type::Any, |a| parse(a, eval)));
            match name.as_str() {
                "list" => Type::List(inner()),
                "set" => Type::Set(inner()),
                "map" => Type::Map(inner()),
                "tuple" => match args.first().map(|a| &a.kind) {
                    Some(ExprKind::Tuple(items)) => {
                        Type::Tuple(items.iter().map(|i| parse(i, eval)).collect())
                    }
                    _ => Type::Any,
                },
                "object" => match args.first().map(|a| &a.kind) {
                    Some(ExprKind::Object(items)) => Type::Object(
                        items
                            .iter()
                            .filter_map(|(k, v)| {
                                let key = k
                                    .as_literal_str()
                                    .or_else(|| k.as_traversal_names().map(|n| n.join(".")))?;
                                Some((key, field(v, eval)))
                            })
                            .collect(),
                    ),
                    _ => Type::Any,
                },
                _ => Type::Any,
            }
        }
        _ => Type::Any,
    }
}

fn field(e: &Expr, eval: &dyn Fn(&Expr) -> Value) -> Field {
    if let ExprKind::Call { name, args, .. } = &e.kind
        && name == "optional"
    {
        return Field {
            ty: args.first().map_or(Type::Any, |a| parse(a, eval)),
            optional: true,
            default: args.get(1).map(eval),
        };
    }
    Field {
        ty: parse(e, eval),
        optional: false,
        default: None,
    }
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Type::Any => write!(f, "any"),
            Type::String => write!(f, "string"),
            Type::Number => write!(f, "number"),
            Type::Bool => write!(f, "bool"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Set(t) => write!(f, "set({t})"),
            Type::Map(t) => write!(f, "map({t})"),
            Type::Tuple(_) => write!(f, "tuple"),
            Type::Object(_) => write!(f, "object"),
        }
    }
}

/// Converts a value to a type the way Terraform does for variables. A value that cannot be
/// converted is an error saying where inside it (`[0]`, `.name`) and what was required.
pub fn convert(v: Value, ty: &Type) -> Result<Value, String> {
    convert_at(v, ty, &mut String::new())
}

fn convert_at(v: Value, ty: &Type, at: &mut String) -> Result<Value, String> {
    let fail = |at: &str, what: String| {
        Err(if at.is_empty() {
            what
        } else {
            format!("{at}: {what}")
        })
    };
    let nested = |at: &mut String, step: String, v: Value, t: &Type| {
        let len = at.len();
        at.push_str(&step);
        let r = convert_at(v, t, at);
        at.truncate(len);
        r
    };
    Ok(match (ty, v) {
        (_, v @ (Value::Unknown(_) | Value::Reference(_) | Value::Null)) => v,
        (Type::Any, v) => v,
        (Type::String, v @ Value::String(_)) => v,
        (Type::String, Value::Number(n)) => Value::str(number_to_string(n)),
        (Type::String, Value::Bool(b)) => Value::String(Str::plain(b.to_string())),
        (Type::Number, v @ Value::Number(_)) => v,
        (Type::Number, Value::String(s)) => match super::functions::parse_number(&s.text) {
            Some(n) => Value::Number(n),
            None => {
                return fail(at, format!("cannot convert {:?} to number", s.text));
            }
        },
        (Type::Bool, v @ Value::Bool(_)) => v,
        (Type::Bool, Value::String(s)) if s.text == "true" || s.text == "false" => {
            Value::Bool(s.text == "true")
        }
        (Type::Bool, Value::String(s)) => {
            return fail(at, format!("cannot convert {:?} to bool", s.text));
        }
        (Type::List(t) | Type::Set(t), Value::List(l)) => {
            let mut out = Vec::with_capacity(l.len());
            for (i, x) in l.into_iter().enumerate() {
                out.push(nested(at, format!("[{i}]"), x, t)?);
            }
            if matches!(ty, Type::Set(_)) {
                make_set(out)
            } else {
                Value::List(out)
            }
        }
        (Type::Tuple(ts), Value::List(l)) => {
            if ts.len() != l.len() {
                return fail(
                    at,
                    format!(
                        "a tuple of {} elements is required, not {}",
                        ts.len(),
                        l.len()
                    ),
                );
            }
            let mut out = Vec::with_capacity(l.len());
            for (i, (x, t)) in l.into_iter().zip(ts).enumerate() {
                out.push(nested(at, format!("[{i}]"), x, t)?);
            }
            Value::List(out)
        }
        (Type::Map(t), Value::Map(m)) => {
            let mut out = BTreeMap::new();
            for (k, x) in m {
                let v = nested(at, format!("[{k:?}]"), x, t)?;
                out.insert(k, v);
            }
            Value::Map(out)
        }
        (Type::Object(fields), Value::Map(mut m)) => {
            let mut out = BTreeMap::new();
            for (name, f) in fields {
                let v = match m.remove(name) {
                    Some(Value::Null) | None if f.optional => match f.default.clone() {
                        Some(d) => nested(at, format!(".{name}"), d, &f.ty)?,
                        None => Value::Null,
                    },
                    Some(v) => nested(at, format!(".{name}"), v, &f.ty)?,
                    None => return fail(at, format!("attribute \"{name}\" is required")),
                };
                out.insert(name.clone(), v);
            }
            Value::Map(out)
        }
        (Type::Object(_), v @ Value::Resource(_)) => v,
        (ty, v) => {
            let required = match ty {
                Type::Tuple(_) => "a tuple".to_string(),
                Type::Object(_) => "an object".to_string(),
                t => t.to_string(),
            };
            return fail(at, format!("{required} required, not a {}", v.type_name()));
        }
    })
}
