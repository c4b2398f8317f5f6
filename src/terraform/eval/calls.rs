//! Function calls, with the functions that read files (`file`, `templatefile`) and those
//! that need the evaluator.

use super::*;

impl Evaluator<'_> {
    pub(super) fn call(
        &self,
        name: &str,
        args: &[Expr],
        expand: bool,
        span: Span,
        sc: &Scope,
    ) -> Res {
        match name {
            // As in Terraform: a template cannot render templates, so none includes itself.
            "templatefile" if sc.isolated => {
                return Err(err(
                    "templatefile(): cannot recursively call templatefile from inside another templatefile call".into(),
                    span,
                ));
            }
            "try" => {
                let mut last = None;
                for a in args {
                    match self.eval(a, sc) {
                        Ok(v) => return Ok(v),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(err(
                    format!(
                        "try(): no argument could be evaluated{}",
                        last.map_or(String::new(), |e| format!(" (last: {})", e.msg))
                    ),
                    span,
                ));
            }
            "can" => {
                let [a] = args else {
                    return Err(err("can() takes 1 argument".into(), span));
                };
                return Ok(match self.eval(a, sc) {
                    Ok(v) if !v.is_known() => v,
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut vals = Vec::with_capacity(args.len());
        let mut total = 0;
        for a in args {
            let v = self.eval(a, sc)?;
            grow(&mut total, &v, span)?;
            vals.push(v);
        }
        if expand {
            match vals.pop() {
                Some(Value::List(l)) => vals.extend(l),
                Some(v @ (Value::Unknown(_) | Value::Reference(_))) => {
                    return lift(known(&v).cloned(), span);
                }
                Some(_) => {
                    return Err(err(
                        format!("{name}(): only a list can be expanded with ..."),
                        span,
                    ));
                }
                None => {}
            }
        }
        match name {
            "file" | "templatefile" => {
                let v = self.file_call(name, &vals, span)?;
                grow(&mut 0, &v, span)?;
                return Ok(v);
            }
            _ => {}
        }
        match functions::call(name, &vals) {
            Ok(v) => Ok(v),
            // An unknown result is built from the references among its arguments.
            Err(FnError::Unknown(reason)) => {
                let mut refs = Vec::new();
                for v in &vals {
                    collect_references(v, &mut refs);
                }
                Ok(finish_template(
                    Str::default(),
                    Some(reason),
                    refs,
                    Vec::new(),
                ))
            }
            Err(FnError::Error(m)) => Err(err(format!("{name}(): {m}"), span)),
        }
    }

    /// `file(path)` and `templatefile(path, vars)`, relative to the root module directory.
    pub(super) fn file_call(&self, name: &str, vals: &[Value], span: Span) -> Res {
        let want = if name == "file" { 1 } else { 2 };
        if vals.len() != want {
            return Err(err(format!("{name}() takes {want} argument(s)"), span));
        }
        let p = match to_str(&vals[0]) {
            Ok(s) => s.text,
            Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
            Err(FnError::Error(m)) => return Err(err(format!("{name}(): {m}"), span)),
        };
        let path = normalize(&self.root_dir.join(&p));
        let inside = path
            .canonicalize()
            .is_ok_and(|c| self.shared.scan_roots.iter().any(|r| c.starts_with(r)));
        if !inside {
            return Ok(Value::unknown(format!(
                "{name}(\"{p}\"): the file is missing or outside the scanned directory"
            )));
        }
        let (file, text) = match crate::terraform::read_source(self.shared, &path) {
            Ok(read) => read,
            Err(why) => return Ok(Value::unknown(format!("{name}(\"{p}\"): {why}"))),
        };
        if name == "file" {
            return Ok(Value::String(Str::from_source(
                text.to_string(),
                crate::terraform::source::OffsetMap::linear(file, 0),
            )));
        }
        let vars = match &vals[1] {
            Value::Map(m) => m.clone(),
            v => {
                if let Err(FnError::Unknown(r)) = known(v) {
                    return Ok(Value::unknown(r));
                }
                return Err(err(
                    "templatefile(): the second argument must be a map".into(),
                    span,
                ));
            }
        };
        let parsed = self
            .templates
            .borrow_mut()
            .entry(path.clone())
            .or_insert_with(|| {
                Rc::new(crate::terraform::hcl::parse_template(file, &text).map_err(|e| e.message))
            })
            .clone();
        let parts = match parsed.as_ref() {
            Ok(p) => p,
            Err(m) => return Err(err(format!("templatefile(\"{p}\"): {m}"), span)),
        };
        let sc = Scope {
            inst: 0,
            iter: Iter::None,
            vars: vars.into_iter().collect(),
            isolated: true,
        };
        let mut out = Str::default();
        let mut refs = Vec::new();
        let mut holes = Vec::new();
        let r = self.template_into(parts, &sc, &mut out, &mut refs, &mut holes, span)?;
        Ok(finish_template(out, r, refs, holes))
    }
}

pub(super) fn collect_references(v: &Value, out: &mut Vec<Reference>) {
    match v {
        Value::Reference(r) => out.push(r.clone()),
        Value::Unknown(u) => out.extend(u.derived_from.iter().cloned()),
        Value::List(l) => l.iter().for_each(|x| collect_references(x, out)),
        Value::Map(m) => m.values().for_each(|x| collect_references(x, out)),
        _ => {}
    }
}
