//! String templates: interpolations and `%{if}`/`%{for}` directives, rendered with the
//! origin of each byte.

use super::*;

impl Evaluator<'_> {
    pub(super) fn template(&self, parts: &[Part], sc: &Scope, span: Span) -> Res {
        // `"${x}"` alone yields x itself, of any type (Terraform's unwrapping rule).
        if let [Part::Interp(e)] = parts {
            return self.eval(e, sc);
        }
        let mut out = Str::default();
        let mut refs = Vec::new();
        let mut holes = Vec::new();
        let r = self.template_into(parts, sc, &mut out, &mut refs, &mut holes, span)?;
        Ok(finish_template(out, r, refs, holes))
    }

    /// Appends the template's text; `Some(reason)` when part of it is unknown. `holes` gets
    /// where (an offset in `out`) each unknown part is, and its known parts.
    pub(super) fn template_into(
        &self,
        parts: &[Part],
        sc: &Scope,
        out: &mut Str,
        refs: &mut Vec<Reference>,
        holes: &mut Vec<(usize, Value)>,
        span: Span,
    ) -> Result<Option<String>, Error> {
        // An unknown interpolation makes the string unknown, but later ones are still
        // evaluated to collect the references it is built from.
        let mut pending: Option<String> = None;
        for p in parts {
            match p {
                Part::Literal { text, map } => {
                    out.push_str(&Str::from_source(text.clone(), map.clone()));
                    check_size(out, span)?;
                }
                Part::Interp(e) => {
                    let v = self.eval(e, sc)?;
                    match &v {
                        Value::Reference(r) => refs.push(r.clone()),
                        Value::Unknown(u) => refs.extend(u.derived_from.iter().cloned()),
                        _ => {}
                    }
                    match to_str(&v) {
                        Ok(s) => {
                            out.push_str(&s);
                            check_size(out, span)?;
                        }
                        Err(FnError::Unknown(r)) => {
                            holes.push((out.text.len(), v));
                            pending.get_or_insert(r);
                        }
                        Err(FnError::Error(m)) => {
                            return Err(err(format!("cannot interpolate: {m}"), e.span));
                        }
                    }
                }
                Part::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    let _nest = self.nest(cond.span)?;
                    let c = self.eval(cond, sc)?;
                    let branch = match to_bool(&c) {
                        Ok(true) => then,
                        Ok(false) => otherwise,
                        Err(FnError::Unknown(r)) => {
                            holes.push((out.text.len(), Value::Null));
                            return Ok(Some(r));
                        }
                        Err(FnError::Error(m)) => return Err(err(m, cond.span)),
                    };
                    if let Some(r) = self.template_into(branch, sc, out, refs, holes, span)? {
                        pending.get_or_insert(r);
                    }
                }
                Part::For {
                    key_var,
                    value_var,
                    collection,
                    body,
                } => {
                    let _nest = self.nest(collection.span)?;
                    let coll = self.eval(collection, sc)?;
                    let items: Vec<(Value, Value)> = match coll {
                        Value::List(l) => l
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (Value::Number(i as f64), v))
                            .collect(),
                        Value::Map(m) => m.into_iter().map(|(k, v)| (Value::str(k), v)).collect(),
                        v => match known(&v) {
                            Err(FnError::Unknown(r)) => {
                                holes.push((out.text.len(), Value::Null));
                                return Ok(Some(r));
                            }
                            _ => {
                                return Err(err(
                                    format!(
                                        "a template for cannot iterate over a {}",
                                        v.type_name()
                                    ),
                                    collection.span,
                                ));
                            }
                        },
                    };
                    for (k, v) in items {
                        self.step(span)?;
                        let mut isc = sc.clone();
                        if let Some(kv) = key_var {
                            isc = isc.with(kv, k);
                        }
                        isc = isc.with(value_var, v);
                        if let Some(r) = self.template_into(body, &isc, out, refs, holes, span)? {
                            pending.get_or_insert(r);
                        }
                    }
                }
            }
        }
        Ok(pending)
    }
}

pub(super) fn finish_template(
    out: Str,
    unknown: Option<String>,
    mut refs: Vec<Reference>,
    holes: Vec<(usize, Value)>,
) -> Value {
    match unknown {
        None => Value::String(out),
        Some(reason) => {
            refs.sort();
            refs.dedup();
            // The known text between the unknown parts (a hole is text of any length);
            // nothing is known of a value without holes (a function's result).
            let mut partial = Partial::default();
            let mut at = 0;
            for (offset, v) in &holes {
                partial.push_text(out.text.get(at..*offset).unwrap_or_default());
                partial.push_value(v);
                at = *offset;
            }
            partial.push_text(out.text.get(at..).unwrap_or_default());
            Value::Unknown(Unknown {
                reason,
                derived_from: refs,
                partial: (!holes.is_empty() && partial.size() <= Partial::MAX_SIZE)
                    .then_some(partial),
                origin: None,
            })
        }
    }
}

/// Fails when a string being built has grown past [`functions::MAX_VALUE_BYTES`].
pub(super) fn check_size(s: &Str, span: Span) -> Result<(), Error> {
    if s.size() > functions::MAX_VALUE_BYTES {
        return Err(err(functions::too_large_message("this string"), span));
    }
    Ok(())
}
