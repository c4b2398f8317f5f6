//! Module calls: where a call's source resolves, its instances (`count`, `for_each`), and
//! the object a call is as a value.

use super::*;

impl Evaluator<'_> {
    pub(super) fn resolve_module(
        &self,
        inst: usize,
        call: &ModuleCall,
    ) -> Result<Arc<Module>, String> {
        let mi = self.inst(inst);
        let Some(source) = &call.source else {
            return Err(format!("module \"{}\" has no literal source", call.name));
        };
        let dir = if crate::terraform::config::is_local_source(source) {
            normalize(&mi.module.dir.join(source))
        } else {
            let mut key = mi.names.clone();
            key.push(call.name.clone());
            match self.modules_json.get(&key.join(".")) {
                Some(d) => normalize(&self.root_dir.join(d)),
                None => {
                    return Err(format!(
                        "module \"{}\" comes from \"{source}\", which is not downloaded: run terraform init or pass a plan",
                        call.name
                    ));
                }
            }
        };
        crate::terraform::module_dir(self.shared, &dir, true)
            .ok_or_else(|| format!("module directory {} has no Terraform files", dir.display()))
    }

    pub(super) fn children(&self, inst: usize, call_idx: usize) -> Rc<Children> {
        if let Some(c) = self.children.borrow().get(&(inst, call_idx)) {
            return c.clone();
        }
        let mi = self.inst(inst);
        let call = &mi.module.calls[call_idx];
        // A module that calls itself, directly or through others, never ends; nor does a
        // tree whose instances multiply without bound.
        let mut fatal = false;
        let result = self.resolve_module(inst, call).and_then(|module| {
            let mut chain = vec![module.dir.clone()];
            let mut cur = Some(inst);
            while let Some(i) = cur {
                let m = self.inst(i);
                chain.push(m.module.dir.clone());
                if m.module.dir == module.dir {
                    fatal = true;
                    chain.reverse();
                    let shown: Vec<String> =
                        chain.iter().map(|d| relative(d, &self.root_dir)).collect();
                    return Err(format!(
                        "module \"{}\" is a cycle: {}",
                        call.name,
                        shown.join(" → ")
                    ));
                }
                cur = m.parent.as_ref().map(|p| p.inst);
            }
            Ok(module)
        });
        let result = result.and_then(|module| {
            let keys = self.expand(inst, call.count.as_ref(), call.for_each.as_ref());
            if self.insts.borrow().len().saturating_add(keys.len()) > MAX_MODULE_INSTANCES {
                fatal = true;
                return Err(format!(
                    "module \"{}\" would make more than {MAX_MODULE_INSTANCES} module instances",
                    call.name
                ));
            }
            let mut kids = Vec::new();
            for (key, iter) in keys {
                let suffix = key.as_ref().map_or(String::new(), InstanceKey::suffix);
                let mut names = mi.names.clone();
                names.push(call.name.clone());
                let child = ModInst {
                    module: module.clone(),
                    prefix: format!("{}module.{}{}.", mi.prefix, call.name, suffix),
                    names,
                    parent: Some(Parent {
                        inst,
                        call: call_idx,
                        iter,
                    }),
                };
                let mut insts = self.insts.borrow_mut();
                insts.push(Rc::new(child));
                kids.push((key, insts.len() - 1));
            }
            Ok(kids)
        });
        if let Err(reason) = &result {
            self.diag(
                if fatal {
                    Severity::Error
                } else {
                    Severity::Note
                },
                reason.clone(),
                Some("resources inside this module are not analyzed".into()),
                Some(call.span),
            );
        }
        let rc = Rc::new(result);
        self.children
            .borrow_mut()
            .insert((inst, call_idx), rc.clone());
        rc
    }

    pub(super) fn call_value(&self, inst: usize, call_idx: usize) -> Value {
        let mi = self.inst(inst);
        let call = &mi.module.calls[call_idx];
        let label = format!("{}module.{}", mi.prefix, call.name);
        self.memo(inst, Item::Call(call_idx), label, Some(call.span), || {
            let kids = self.children(inst, call_idx);
            let kids = match kids.as_ref() {
                Ok(k) => k,
                // Its outputs are inputs of their own: `module.m.x` is one value.
                Err(reason) => {
                    return Value::Unknown(Unknown {
                        reason: reason.clone(),
                        origin: Some(format!("{}module.{}", mi.prefix, call.name)),
                        ..Unknown::default()
                    });
                }
            };
            let object = |child: usize| {
                let m = self.inst(child).module.clone();
                Value::Map(
                    m.outputs
                        .keys()
                        .map(|k| {
                            let v = self
                                .output(child, k, call.span)
                                .unwrap_or_else(|e| Value::unknown(e.msg));
                            (k.clone(), v)
                        })
                        .collect(),
                )
            };
            collect_expansion(call.count.is_some(), call.for_each.is_some(), kids, object)
        })
    }

    /// Expands `count`/`for_each` into instance keys and iteration contexts.
    pub(super) fn expand(
        &self,
        inst: usize,
        count: Option<&Expr>,
        for_each: Option<&Expr>,
    ) -> Vec<(Option<InstanceKey>, Iter)> {
        let sc = Self::root_scope(inst);
        if let Some(c) = count {
            let v = self.eval_reported(c, &sc);
            return match to_num(&v) {
                Ok(n) if n >= 0.0 && n.fract() == 0.0 && (n as usize) <= MAX_EXPANSION => (0..n
                    as i64)
                    .map(|i| (Some(InstanceKey::Int(i)), Iter::Count(i)))
                    .collect(),
                // Terraform's rule: a whole number from 0 to 2^31 - 1 (numbers themselves
                // are unbounded: `1e400` is a number, not a count).
                Ok(n) if n < 0.0 || n.fract() != 0.0 || n > f64::from(i32::MAX) || n.is_nan() => {
                    let shown = if n.is_finite() {
                        format!("count = {}", crate::terraform::value::number_to_string(n))
                    } else {
                        "this count".to_string()
                    };
                    self.diag(
                        Severity::Error,
                        format!(
                            "{shown} is not a valid count: it must be a whole number from 0 to {}",
                            i32::MAX
                        ),
                        None,
                        Some(c.span),
                    );
                    Vec::new()
                }
                Ok(n) => {
                    self.semantic(
                        format!("count = {n} is not a usable count"),
                        None,
                        Some(c.span),
                    );
                    Vec::new()
                }
                Err(FnError::Unknown(r)) => {
                    vec![(
                        Some(InstanceKey::Unknown),
                        Iter::Unknown(format!("count is unknown: {r}")),
                    )]
                }
                Err(FnError::Error(m)) => {
                    self.semantic(format!("invalid count: {m}"), None, Some(c.span));
                    Vec::new()
                }
            };
        }
        if let Some(fe) = for_each {
            let v = self.eval_reported(fe, &sc);
            return match v {
                Value::Map(m) => m
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            Some(InstanceKey::Str(k.clone())),
                            Iter::Each(Value::str(k), v),
                        )
                    })
                    .collect(),
                Value::List(l) => {
                    let mut out = Vec::new();
                    for item in functions::make_set(l).as_list() {
                        match to_str(item) {
                            Ok(k) => out.push((
                                Some(InstanceKey::Str(k.text.clone())),
                                Iter::Each(Value::String(k), item.clone()),
                            )),
                            Err(FnError::Unknown(r)) => {
                                return vec![(
                                    Some(InstanceKey::Unknown),
                                    Iter::Unknown(format!("for_each is unknown: {r}")),
                                )];
                            }
                            Err(FnError::Error(m)) => {
                                self.semantic(
                                    format!("invalid for_each element: {m}"),
                                    None,
                                    Some(fe.span),
                                );
                            }
                        }
                    }
                    out
                }
                Value::Null => {
                    self.semantic("for_each is null".into(), None, Some(fe.span));
                    Vec::new()
                }
                v => {
                    let r = match known(&v) {
                        Err(FnError::Unknown(r)) => r,
                        _ => format!("for_each must be a map or a set, not a {}", v.type_name()),
                    };
                    vec![(
                        Some(InstanceKey::Unknown),
                        Iter::Unknown(format!("for_each is unknown: {r}")),
                    )]
                }
            };
        }
        vec![(None, Iter::None)]
    }
}

pub(super) fn collect_expansion(
    counted: bool,
    for_each: bool,
    kids: &[(Option<InstanceKey>, usize)],
    object: impl Fn(usize) -> Value,
) -> Value {
    if kids
        .iter()
        .any(|(k, _)| matches!(k, Some(InstanceKey::Unknown)))
    {
        return Value::unknown("the module's instances are not known");
    }
    if counted {
        Value::List(kids.iter().map(|(_, c)| object(*c)).collect())
    } else if for_each {
        Value::Map(
            kids.iter()
                .filter_map(|(k, c)| match k {
                    Some(InstanceKey::Str(s)) => Some((s.clone(), object(*c))),
                    _ => None,
                })
                .collect(),
        )
    } else {
        kids.first().map_or(Value::Null, |(_, c)| object(*c))
    }
}
