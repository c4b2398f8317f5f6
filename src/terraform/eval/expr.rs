//! Expressions: literals, operators, conditionals, `for` expressions and splats.

use super::*;

impl Evaluator<'_> {
    pub(super) fn eval(&self, e: &Expr, sc: &Scope) -> Res {
        self.step(e.span)?;
        let _nest = self.nest(e.span)?;
        match &e.kind {
            ExprKind::Null => Ok(Value::Null),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Number(n) => Ok(Value::Number(*n)),
            ExprKind::Template(parts) => self.template(parts, sc, e.span),
            ExprKind::Tuple(items) => {
                // Terraform 0.11 wrote lists as `["${var.list}"]`; flatten that form.
                if let [only] = items.as_slice()
                    && let ExprKind::Template(p) = &only.kind
                    && let [Part::Interp(_)] = p.as_slice()
                {
                    let v = self.eval(only, sc)?;
                    return Ok(match v {
                        Value::List(l) => Value::List(l),
                        v => Value::List(vec![v]),
                    });
                }
                let mut total = 0;
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let v = self.eval(i, sc)?;
                    grow(&mut total, &v, e.span)?;
                    out.push(v);
                }
                Ok(Value::List(out))
            }
            ExprKind::Object(pairs) => {
                let mut out = BTreeMap::new();
                let mut total = 0;
                for (k, v) in pairs {
                    // A bare name as key is a literal, also when it names a variable.
                    let key = match &k.kind {
                        ExprKind::Var(n) => Value::str(n.clone()),
                        _ => self.eval(k, sc)?,
                    };
                    let key = match to_str(&key) {
                        Ok(s) => s.text,
                        Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
                        Err(FnError::Error(m)) => return Err(err(m, k.span)),
                    };
                    let v = self.eval(v, sc)?;
                    grow(&mut total, &v, e.span)?;
                    total = total.saturating_add(key.len());
                    out.insert(key, v);
                }
                Ok(Value::Map(out))
            }
            ExprKind::Var(name) => self.traversal(name, &[], e.span, sc),
            ExprKind::Traversal(root, steps) => match &root.kind {
                ExprKind::Var(name) => self.traversal(name, steps, e.span, sc),
                _ => {
                    let v = self.eval(root, sc)?;
                    self.steps(v, steps, e.span, sc)
                }
            },
            ExprKind::Call {
                name,
                args,
                expand_final,
            } => self.call(name, args, *expand_final, e.span, sc),
            ExprKind::Cond(c, t, f) => {
                let cv = self.eval(c, sc)?;
                match to_bool(&cv) {
                    Ok(true) => self.eval(t, sc).and_then(|v| conditional_type(v, f)),
                    Ok(false) => self.eval(f, sc).and_then(|v| conditional_type(v, t)),
                    Err(FnError::Unknown(r)) => {
                        let tv = self.eval(t, sc)?;
                        let fv = self.eval(f, sc)?;
                        if tv == fv && tv.is_wholly_known() {
                            Ok(tv)
                        } else {
                            Ok(Value::unknown(format!("the condition is unknown: {r}")))
                        }
                    }
                    Err(FnError::Error(m)) => Err(err(format!("condition: {m}"), c.span)),
                }
            }
            ExprKind::Unary(op, x) => {
                let v = self.eval(x, sc)?;
                let r = match op {
                    UnOp::Neg => to_num(&v).map(|n| Value::Number(-n)),
                    UnOp::Not => to_bool(&v).map(|b| Value::Bool(!b)),
                };
                lift(r, e.span)
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.span, sc),
            ExprKind::For(f) => {
                let coll = self.eval(&f.collection, sc)?;
                let items: Vec<(Value, Value)> = match known(&coll) {
                    Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
                    _ => match coll {
                        Value::List(l) => l
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (Value::Number(i as f64), v))
                            .collect(),
                        Value::Map(m) => m.into_iter().map(|(k, v)| (Value::str(k), v)).collect(),
                        v => {
                            return Err(err(
                                format!("a for expression cannot iterate over a {}", v.type_name()),
                                f.collection.span,
                            ));
                        }
                    },
                };
                let mut list = Vec::new();
                let mut map: BTreeMap<String, Value> = BTreeMap::new();
                let mut total = 0;
                for (k, v) in items {
                    self.step(e.span)?;
                    let mut isc = sc.clone();
                    if let Some(kv) = &f.key_var {
                        isc = isc.with(kv, k);
                    }
                    isc = isc.with(&f.value_var, v);
                    if let Some(c) = &f.cond {
                        match to_bool(&self.eval(c, &isc)?) {
                            Ok(true) => {}
                            Ok(false) => continue,
                            Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
                            Err(FnError::Error(m)) => return Err(err(m, c.span)),
                        }
                    }
                    let val = self.eval(&f.value, &isc)?;
                    grow(&mut total, &val, e.span)?;
                    match &f.key {
                        None => list.push(val),
                        Some(ke) => {
                            let key = match to_str(&self.eval(ke, &isc)?) {
                                Ok(s) => s.text,
                                Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
                                Err(FnError::Error(m)) => return Err(err(m, ke.span)),
                            };
                            if f.grouping {
                                if let Value::List(l) =
                                    map.entry(key).or_insert_with(|| Value::List(Vec::new()))
                                {
                                    l.push(val)
                                }
                            } else if map.insert(key.clone(), val).is_some() {
                                return Err(err(
                                    format!(
                                        "duplicate key \"{key}\" in for expression (use ... to group)"
                                    ),
                                    ke.span,
                                ));
                            }
                        }
                    }
                }
                Ok(if f.key.is_some() {
                    Value::Map(map)
                } else {
                    Value::List(list)
                })
            }
            ExprKind::Invalid(m) => {
                // Terraform rejects the configuration: an error, not merely an unknown.
                self.diag(Severity::Error, m.clone(), None, Some(e.span));
                Ok(Value::unknown(m.clone()))
            }
        }
    }

    pub(super) fn binary(&self, op: BinOp, a: &Expr, b: &Expr, span: Span, sc: &Scope) -> Res {
        let av = self.eval(a, sc)?;
        // Short-circuit where the left side decides.
        match (op, &av) {
            (BinOp::And, Value::Bool(false)) => return Ok(Value::Bool(false)),
            (BinOp::Or, Value::Bool(true)) => return Ok(Value::Bool(true)),
            _ => {}
        }
        let bv = self.eval(b, sc)?;
        let r = match op {
            BinOp::Eq | BinOp::NotEq => {
                if let Err(e) = known(&av).and_then(|_| known(&bv)) {
                    Err(e)
                } else if !av.is_wholly_known() || !bv.is_wholly_known() {
                    Err(FnError::Unknown(
                        "compares values not known before apply".into(),
                    ))
                } else {
                    Ok(Value::Bool((av == bv) == (op == BinOp::Eq)))
                }
            }
            BinOp::And | BinOp::Or => to_bool(&av).and_then(|x| {
                to_bool(&bv).map(|y| Value::Bool(if op == BinOp::And { x && y } else { x || y }))
            }),
            _ => to_num(&av).and_then(|x| {
                to_num(&bv).and_then(|y| {
                    Ok(match op {
                        BinOp::Plus => Value::Number(x + y),
                        BinOp::Minus => Value::Number(x - y),
                        BinOp::Mul => Value::Number(x * y),
                        // As Terraform: x / 0 is infinite (0 / 0 has no value), x % 0 is x.
                        BinOp::Div if y == 0.0 && x == 0.0 => {
                            return Err(FnError::Error("division of zero by zero".into()));
                        }
                        BinOp::Div => Value::Number(x / y),
                        BinOp::Mod if y == 0.0 => Value::Number(x),
                        BinOp::Mod => Value::Number(x % y),
                        BinOp::Less => Value::Bool(x < y),
                        BinOp::LessEq => Value::Bool(x <= y),
                        BinOp::Greater => Value::Bool(x > y),
                        _ => Value::Bool(x >= y),
                    })
                })
            }),
        };
        lift(r, span)
    }
}

/// The result of a conditional, given the other branch's expression: both branches have one
/// type in Terraform. Where that type is plain from the other branch's syntax (a string
/// template, a number or bool literal), a number or bool result becomes a string next to a
/// string, and a number next to a bool is Terraform's "inconsistent result types" error.
pub(super) fn conditional_type(v: Value, other: &Expr) -> Res {
    let other_kind = match &other.kind {
        ExprKind::Template(p) if !matches!(p.as_slice(), [Part::Interp(_)]) => "string",
        ExprKind::Number(_) => "number",
        ExprKind::Bool(_) => "bool",
        _ => return Ok(v),
    };
    match (&v, other_kind) {
        (Value::Number(_) | Value::Bool(_), "string") => Ok(to_str(&v).map_or(v, Value::String)),
        (Value::Number(_), "bool") | (Value::Bool(_), "number") => Err(err(
            format!(
                "inconsistent conditional result types: a {} and a {other_kind}",
                v.type_name()
            ),
            other.span,
        )),
        _ => Ok(v),
    }
}
