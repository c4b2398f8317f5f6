//! Resources: their instances (`count`, `for_each`), memoized per module instance, and the
//! values of their blocks.

use super::*;

impl Evaluator<'_> {
    pub(super) fn resource(&self, inst: usize, idx: usize) -> Option<Rc<ResourceEval>> {
        if let Some(slot) = self.resources.borrow().get(&(inst, idx)) {
            return slot.clone();
        }
        if self.depth.get() >= MAX_DEPTH {
            let r = &self.inst(inst).module.resources[idx];
            return Some(Rc::new(ResourceEval {
                value: self.too_deep(&r.config_address(), Some(r.span)),
                instances: RefCell::default(),
            }));
        }
        self.depth.set(self.depth.get() + 1);
        let r = self.resource_uncached(inst, idx);
        self.depth.set(self.depth.get() - 1);
        r
    }

    pub(super) fn resource_uncached(&self, inst: usize, idx: usize) -> Option<Rc<ResourceEval>> {
        // `None` while in progress: a resource referring to itself.
        self.resources.borrow_mut().insert((inst, idx), None);
        let mi = self.inst(inst);
        let r: &ResourceBlock = &mi.module.resources[idx];
        let base = format!("{}{}", mi.prefix, r.config_address());
        let mut instances = Vec::new();
        let mut objects = Vec::new();
        for (key, iter) in self.expand(inst, r.count.as_ref(), r.for_each.as_ref()) {
            let n = self.resource_instances.get() + 1;
            self.resource_instances.set(n);
            // Once stopped, evaluation fails at once: what is left of this resource is
            // instances with unknown attributes (count and for_each are unknown by then,
            // so there is one), not missing resources that would look like defects.
            if n > MAX_RESOURCE_INSTANCES {
                self.stop(
                    format!("more than {MAX_RESOURCE_INSTANCES} resource instances"),
                    Some(r.span),
                );
            }
            let address = format!(
                "{base}{}",
                key.as_ref().map_or(String::new(), InstanceKey::suffix)
            );
            let sc = Scope {
                inst,
                iter,
                vars: Vec::new(),
                isolated: false,
            };
            let mut spans = BTreeMap::new();
            let attributes: BTreeMap<String, Value> = self
                .body(&r.body, &sc, "", &mut spans)
                .into_iter()
                .map(|(k, v)| {
                    let at = spans.get(&k).copied().unwrap_or(r.span);
                    (k, self.shallow(v, Some(at)))
                })
                .collect();
            // Kept twice: as the instance and as the resource's value.
            let size: usize = attributes
                .values()
                .map(|v| v.size_up_to(MAX_TOTAL_BYTES))
                .fold(0, usize::saturating_add);
            self.keep(size.saturating_mul(2), Some(r.span));
            objects.push((
                key.clone(),
                Value::Resource(Box::new(ResourceObject {
                    address: address.clone(),
                    data: r.data,
                    attributes: attributes.clone(),
                })),
            ));
            instances.push(InstanceOut {
                address,
                module: mi.prefix.trim_end_matches('.').to_string(),
                data: r.data,
                rtype: r.rtype.clone(),
                name: r.name.clone(),
                key,
                attributes,
                spans,
                span: r.span,
            });
        }
        let value = if objects
            .iter()
            .any(|(k, _)| matches!(k, Some(InstanceKey::Unknown)))
        {
            Value::unknown(format!("the instances of {base} are not known"))
        } else if r.count.is_some() {
            Value::List(objects.into_iter().map(|(_, v)| v).collect())
        } else if r.for_each.is_some() {
            Value::Map(
                objects
                    .into_iter()
                    .filter_map(|(k, v)| match k {
                        Some(InstanceKey::Str(s)) => Some((s, v)),
                        _ => None,
                    })
                    .collect(),
            )
        } else {
            objects.pop().map_or(Value::Null, |(_, v)| v)
        };
        let rc = Rc::new(ResourceEval {
            value,
            instances: RefCell::new(instances),
        });
        if self.spent_here.get() {
            // As in `memo`: not kept when cut short by the step budget.
            self.resources.borrow_mut().remove(&(inst, idx));
        } else {
            self.resources
                .borrow_mut()
                .insert((inst, idx), Some(rc.clone()));
        }
        Some(rc)
    }

    pub(super) fn resource_value(
        &self,
        inst: usize,
        data: bool,
        rtype: &str,
        name: &str,
        span: Span,
    ) -> Res {
        let m = self.inst(inst).module.clone();
        let key = (data, rtype.to_string(), name.to_string());
        let Some(&idx) = self.index(&m).resources.get(&key) else {
            let what = if data { "data source" } else { "resource" };
            let addr = if data {
                format!("data.{rtype}.{name}")
            } else {
                format!("{rtype}.{name}")
            };
            return Err(Error {
                msg: format!("reference to undeclared {what} {addr}"),
                span,
            });
        };
        match self.resource(inst, idx) {
            Some(r) => Ok(r.value.clone()),
            None => Ok(Value::unknown(format!(
                "cycle: {rtype}.{name} refers to itself"
            ))),
        }
    }

    /// Attributes and nested blocks of a body; nested blocks become lists of objects.
    pub(super) fn body(
        &self,
        body: &Body,
        sc: &Scope,
        prefix: &str,
        spans: &mut BTreeMap<String, Span>,
    ) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        for a in &body.attributes {
            let path = format!("{prefix}{}", a.name);
            literal_spans(&path, &a.expr, spans);
            spans.insert(path, a.expr.span);
            out.insert(a.name.clone(), self.eval_reported(&a.expr, sc));
        }
        let mut lists: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for b in &body.blocks {
            if b.kind == "dynamic" {
                let Some(kind) = b.labels.first() else {
                    continue;
                };
                let Some(content) = b.body.blocks.iter().find(|c| c.kind == "content") else {
                    continue;
                };
                let iterator = b
                    .body
                    .attr("iterator")
                    .and_then(|a| a.expr.as_traversal_names())
                    .and_then(|n| n.first().cloned())
                    .unwrap_or_else(|| kind.clone());
                let coll = b
                    .body
                    .attr("for_each")
                    .map_or(Value::Null, |a| self.eval_reported(&a.expr, sc));
                let items: Vec<(Value, Value)> = match coll {
                    Value::List(l) => l
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (Value::Number(i as f64), v))
                        .collect(),
                    Value::Map(m) => m.into_iter().map(|(k, v)| (Value::str(k), v)).collect(),
                    _ => {
                        spans.insert(format!("{prefix}{kind}"), b.span);
                        out.insert(
                            kind.clone(),
                            Value::unknown(format!("dynamic \"{kind}\" for_each is not known")),
                        );
                        continue;
                    }
                };
                for (k, v) in items {
                    if self.step(b.span).is_err() {
                        break;
                    }
                    let mut obj = BTreeMap::new();
                    obj.insert("key".to_string(), k);
                    obj.insert("value".to_string(), v);
                    let isc = sc.with(&iterator, Value::Map(obj));
                    let list = lists.entry(kind.clone()).or_default();
                    let p = format!("{prefix}{kind}[{}].", list.len());
                    spans.insert(p.trim_end_matches('.').to_string(), content.span);
                    let v = Value::Map(self.body(&content.body, &isc, &p, spans));
                    lists.entry(kind.clone()).or_default().push(v);
                }
                continue;
            }
            let list = lists.entry(b.kind.clone()).or_default();
            let p = format!("{prefix}{}[{}].", b.kind, list.len());
            spans.insert(p.trim_end_matches('.').to_string(), b.span);
            let v = Value::Map(self.body(&b.body, sc, &p, spans));
            lists.entry(b.kind.clone()).or_default().push(v);
        }
        for (k, v) in lists {
            out.insert(k, Value::List(v));
        }
        out
    }
}

/// Spans of the elements of literal lists and objects (`alarm_actions[1]`, `tags.Name`).
pub(super) fn literal_spans(path: &str, e: &Expr, spans: &mut BTreeMap<String, Span>) {
    match &e.kind {
        ExprKind::Tuple(items) => {
            // `["${var.list}"]` is flattened, so its indices are not the value's.
            if let [only] = items.as_slice()
                && let ExprKind::Template(p) = &only.kind
                && matches!(p.as_slice(), [Part::Interp(_)])
            {
                return;
            }
            for (i, item) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                literal_spans(&p, item, spans);
                spans.insert(p, item.span);
            }
        }
        ExprKind::Object(pairs) => {
            for (k, v) in pairs {
                let key = match &k.kind {
                    ExprKind::Var(n) => Some(n.clone()),
                    _ => k.as_literal_str(),
                };
                if let Some(key) = key {
                    let p = format!("{path}.{key}");
                    literal_spans(&p, v, spans);
                    spans.insert(p, v.span);
                }
            }
        }
        _ => {}
    }
}
