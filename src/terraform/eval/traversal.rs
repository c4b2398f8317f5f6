//! Traversals: what a name refers to (`var.x`, `aws_x.y`, `module.m`, `each.key`), then its
//! attribute and index steps.

use super::*;

impl Evaluator<'_> {
    /// Resolves `name.steps...`.
    pub(super) fn traversal(&self, name: &str, steps: &[Step], span: Span, sc: &Scope) -> Res {
        if let Some((_, v)) = sc.vars.iter().rev().find(|(n, _)| n == name) {
            return self.steps(v.clone(), steps, span, sc);
        }
        if sc.isolated {
            return Err(err(
                format!("\"{name}\" is not a variable of this template"),
                span,
            ));
        }
        let attr = |i: usize| -> Option<&str> {
            match steps.get(i) {
                Some(Step::Attr(a)) => Some(a.as_str()),
                _ => None,
            }
        };
        let need = |i: usize, what: &str| -> Result<&str, Error> {
            attr(i).ok_or_else(|| err(format!("\"{name}\" must be followed by {what}"), span))
        };
        let (v, used) = match name {
            "var" => (self.var(sc.inst, need(0, "a variable name")?, span)?, 1),
            "local" => (self.local(sc.inst, need(0, "a local name")?, span)?, 1),
            "module" => {
                let call = need(0, "a module name")?;
                let m = self.inst(sc.inst).module.clone();
                let Some(&ci) = self.index(&m).calls.get(call) else {
                    return Err(err(
                        format!("reference to undeclared module \"{call}\""),
                        span,
                    ));
                };
                let c = &m.calls[ci];
                // `module.m.out` depends on that output only, as in Terraform.
                if c.count.is_none()
                    && c.for_each.is_none()
                    && let Some(out) = attr(1)
                {
                    let kids = self.children(sc.inst, ci);
                    let v = match kids.as_ref() {
                        Ok(k) => match k.first() {
                            Some((_, child)) => self.output(*child, out, span)?,
                            None => Value::Null,
                        },
                        Err(reason) => Value::Unknown(Unknown {
                            reason: reason.clone(),
                            origin: Some(format!(
                                "{}module.{call}.{out}",
                                self.inst(sc.inst).prefix
                            )),
                            ..Unknown::default()
                        }),
                    };
                    return self.steps(v, &steps[2..], span, sc);
                }
                (self.call_value(sc.inst, ci), 1)
            }
            "path" => {
                let mi = self.inst(sc.inst);
                let p = match need(0, "module, root or cwd")? {
                    "module" => relative(&mi.module.dir, &self.root_dir),
                    "root" | "cwd" => ".".to_string(),
                    other => return Err(err(format!("path.{other} does not exist"), span)),
                };
                (Value::str(p), 1)
            }
            "terraform" => match need(0, "workspace")? {
                "workspace" => (Value::str(self.workspace.clone()), 1),
                other => (
                    Value::unknown(format!("terraform.{other} is not modelled")),
                    1,
                ),
            },
            "count" => match (&sc.iter, need(0, "index")?) {
                (Iter::Count(i), "index") => (Value::Number(*i as f64), 1),
                (Iter::Unknown(r), _) => (Value::unknown(r.clone()), 1),
                _ => {
                    return Err(err(
                        "count.index is only valid in a block with count".into(),
                        span,
                    ));
                }
            },
            "each" => match (&sc.iter, need(0, "key or value")?) {
                (Iter::Each(k, _), "key") => (k.clone(), 1),
                (Iter::Each(_, v), "value") => (v.clone(), 1),
                (Iter::Unknown(r), _) => (Value::unknown(r.clone()), 1),
                _ => {
                    return Err(err(
                        "each.key and each.value are only valid with for_each".into(),
                        span,
                    ));
                }
            },
            "self" => (Value::unknown("self is not modelled"), steps.len()),
            // `resource.<type>.<name>` is Terraform's long form of `<type>.<name>`
            // (addrs.ParseRef, `case "resource"`).
            "resource" => {
                let t = need(0, "a resource type")?;
                let n = need(1, "a resource name")?;
                (self.resource_value(sc.inst, false, t, n, span)?, 2)
            }
            "data" => {
                let t = need(0, "a data source type")?;
                let n = need(1, "a data source name")?;
                (self.resource_value(sc.inst, true, t, n, span)?, 2)
            }
            _ => {
                let Some(n) = attr(0) else {
                    return Err(err(format!("unknown variable \"{name}\""), span));
                };
                (self.resource_value(sc.inst, false, name, n, span)?, 1)
            }
        };
        self.steps(v, steps.get(used..).unwrap_or(&[]), span, sc)
    }

    pub(super) fn steps(&self, mut v: Value, steps: &[Step], span: Span, sc: &Scope) -> Res {
        let mut i = 0;
        while i < steps.len() {
            match &steps[i] {
                Step::Attr(a) => v = get_attr(v, a, span)?,
                Step::Index(ke) => {
                    let k = self.eval(ke, sc)?;
                    v = index(v, &k, ke.span)?;
                }
                splat @ (Step::AttrSplat | Step::FullSplat) => {
                    let end = if matches!(splat, Step::FullSplat) {
                        steps.len()
                    } else {
                        steps[i + 1..]
                            .iter()
                            .position(|s| !matches!(s, Step::Attr(_)))
                            .map_or(steps.len(), |p| p + i + 1)
                    };
                    let _nest = self.nest(span)?;
                    let items = match v {
                        Value::List(l) => l,
                        Value::Null => Vec::new(),
                        // Each element's part is not the input itself.
                        Value::Unknown(mut u) => {
                            u.origin = None;
                            u.partial = None;
                            return Ok(Value::Unknown(u));
                        }
                        Value::Reference(_) => return Ok(v),
                        other => vec![other],
                    };
                    let rest = &steps[i + 1..end];
                    v = Value::List(
                        items
                            .into_iter()
                            .map(|x| self.steps(x, rest, span, sc))
                            .collect::<Result<_, _>>()?,
                    );
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        Ok(v)
    }
}

pub(super) fn get_attr(v: Value, a: &str, span: Span) -> Res {
    match v {
        Value::Map(mut m) => m
            .remove(a)
            .ok_or_else(|| err(format!("this object has no attribute \"{a}\""), span)),
        Value::Resource(r) => Ok(r.get(a)),
        Value::Reference(mut r) => {
            r.attribute = format!("{}.{a}", r.attribute);
            r.partial = None;
            Ok(Value::Reference(r))
        }
        Value::Unknown(mut u) => {
            // A part of an input is another input.
            u.origin = u.origin.map(|o| format!("{o}.{a}"));
            u.partial = None;
            Ok(Value::Unknown(u))
        }
        Value::Null => Err(err(format!("cannot read attribute \"{a}\" of null"), span)),
        v => Err(err(
            format!(
                "cannot read attribute \"{a}\" of a {} (use [*] for each element)",
                v.type_name()
            ),
            span,
        )),
    }
}

pub(super) fn index(v: Value, k: &Value, span: Span) -> Res {
    if let Err(FnError::Unknown(r)) = known(k) {
        return Ok(Value::unknown(r));
    }
    match v {
        Value::List(mut l) => {
            let i = to_num(k).map_err(|_| err("a list index must be a number".into(), span))?;
            if i < 0.0 || i.fract() != 0.0 || i as usize >= l.len() {
                return Err(err(
                    format!(
                        "index {i} is out of range for a list of {} element(s)",
                        l.len()
                    ),
                    span,
                ));
            }
            Ok(l.swap_remove(i as usize))
        }
        Value::Map(mut m) => {
            let key = to_str(k).map_err(|_| err("a map key must be a string".into(), span))?;
            m.remove(&key.text)
                .ok_or_else(|| err(format!("this map has no key \"{}\"", key.text), span))
        }
        Value::Reference(mut r) => {
            let ks = match k {
                Value::String(s) => format!("[{:?}]", s.text),
                v => format!("[{}]", v.render()),
            };
            r.attribute.push_str(&ks);
            r.partial = None;
            Ok(Value::Reference(r))
        }
        Value::Unknown(mut u) => {
            u.origin = u.origin.map(|o| format!("{o}[{}]", k.render()));
            u.partial = None;
            Ok(Value::Unknown(u))
        }
        Value::Resource(r) => Ok(r.get(&to_str(k).map(|s| s.text).unwrap_or_default())),
        v => Err(err(format!("a {} cannot be indexed", v.type_name()), span)),
    }
}
