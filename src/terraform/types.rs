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

/// Converts a value to a type the way Terraform does for variables; values that cannot be
/// converted are returned unchanged (Terraform would have rejected them).
pub fn convert(v: Value, ty: &Type) -> Value {
    match (ty, v) {
        (_, v @ (Value::Unknown(_) | Value::Reference(_) | Value::Null)) => v,
        (Type::Any, v) => v,
        (Type::String, Value::Number(n)) => Value::str(number_to_string(n)),
        (Type::String, Value::Bool(b)) => Value::String(Str::plain(b.to_string())),
        (Type::Number, Value::String(s)) => match s.text.trim().parse::<f64>() {
            Ok(n) => Value::Number(n),
            Err(_) => Value::String(s),
        },
        (Type::Bool, Value::String(s)) if s.text == "true" || s.text == "false" => {
            Value::Bool(s.text == "true")
        }
        (Type::List(t), Value::List(l)) => {
            Value::List(l.into_iter().map(|x| convert(x, t)).collect())
        }
        (Type::Set(t), Value::List(l)) => make_set(l.into_iter().map(|x| convert(x, t)).collect()),
        (Type::Tuple(ts), Value::List(l)) => Value::List(
            l.into_iter()
                .enumerate()
                .map(|(i, x)| match ts.get(i) {
                    Some(t) => convert(x, t),
                    None => x,
                })
                .collect(),
        ),
        (Type::Map(t), Value::Map(m)) => {
            Value::Map(m.into_iter().map(|(k, x)| (k, convert(x, t))).collect())
        }
        (Type::Object(fields), Value::Map(mut m)) => {
            let mut out = BTreeMap::new();
            for (name, f) in fields {
                let v = match m.remove(name) {
                    Some(Value::Null) | None if f.optional => {
                        f.default.clone().map_or(Value::Null, |d| convert(d, &f.ty))
                    }
                    Some(v) => convert(v, &f.ty),
                    None => Value::Null,
                };
                out.insert(name.clone(), v);
            }
            Value::Map(out)
        }
        (_, v) => v,
    }
}
