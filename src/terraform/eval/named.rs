//! Named values: variables (root inputs, module arguments), locals and outputs.

use super::*;

impl Evaluator<'_> {
    pub(super) fn var(&self, inst: usize, name: &str, span: Span) -> Res {
        let mi = self.inst(inst);
        let Some(decl) = mi.module.variables.get(name).cloned() else {
            return Err(Error {
                msg: format!("reference to undeclared input variable \"{name}\""),
                span,
            });
        };
        let label = format!("{}var.{name}", mi.prefix);
        let origin = label.clone();
        Ok(self.memo(inst, Item::Var(name.to_string()), label, Some(decl.span), || {
            let sc = Self::root_scope(inst);
            // The value given and where it was written (a module input, a .tfvars entry).
            let given: Option<(Value, Option<Span>)> = match &mi.parent {
                Some(p) => {
                    let call = &self.inst(p.inst).module.calls[p.call];
                    call.inputs.iter().find(|a| a.name == name).map(|a| {
                        let psc = Scope {
                            inst: p.inst,
                            iter: p.iter.clone(),
                            vars: Vec::new(),
                            isolated: false,
                        };
                        (self.eval_reported(&a.expr, &psc), Some(a.expr.span))
                    })
                }
                None => self.root_vars.get(name).map(|input| match input {
                    VarInput::Expr(e) => (self.eval_reported(e, &sc), Some(e.span)),
                    VarInput::Raw(s) => (self.raw_var(name, s, &decl, &sc), None),
                }),
            };
            let given = given.filter(|(v, _)| !matches!(v, Value::Null));
            let (v, at) = match (given, &decl.default) {
                (Some((v, at)), _) => (v, at),
                (None, Some(d)) => (self.eval_reported(d, &sc), Some(d.span)),
                (None, None) => (
                    Value::Unknown(Unknown {
                    reason: if mi.parent.is_some() {
                        format!(
                            "input variable \"{name}\" of {} is not set by the module call",
                            mi.prefix.trim_end_matches('.')
                        )
                    } else {
                        format!(
                            "variable \"{name}\" has no value: pass --var {name}=... or set it in a .tfvars file"
                        )
                    },
                    origin: Some(origin),
                    ..Unknown::default()
                }),
                    None,
                ),
            };
            let Some(t) = &decl.ty else {
                return v;
            };
            let ty = types::parse(t, &|e| self.eval_reported(e, &sc));
            match types::convert(v, &ty) {
                Ok(v) => v,
                Err(why) => {
                    let msg = format!(
                        "the value of variable \"{name}\" is not a {ty}: {why}"
                    );
                    self.diag(
                        Severity::Error,
                        msg.clone(),
                        Some(format!("Terraform rejects this value; give variable \"{name}\" a value of its type")),
                        at.or(Some(decl.span)),
                    );
                    Value::unknown(msg)
                }
            }
        }))
    }

    /// A `--var name=value` string: the string itself for a string (or untyped) variable,
    /// otherwise parsed as an expression, as Terraform does; one that does not parse is an
    /// error naming the variable (at its declaration: the command line has no file).
    pub(super) fn raw_var(
        &self,
        name: &str,
        s: &str,
        decl: &crate::terraform::config::Variable,
        sc: &Scope,
    ) -> Value {
        let is_string = decl
            .ty
            .as_ref()
            .is_none_or(|t| matches!(&t.kind, ExprKind::Var(n) if n == "string" || n == "any"));
        if is_string {
            return Value::str(s.to_string());
        }
        let parsed = crate::terraform::hcl::parse_expr(decl.span.file, s)
            .map_err(|e| format!("the value does not parse as an expression: {}", e.message))
            .and_then(|e| self.eval(&e, sc).map_err(|e| e.msg));
        match parsed {
            Ok(v) => v,
            Err(why) => {
                let msg = format!("invalid value for variable \"{name}\" given by --var: {why}");
                self.diag(
                    Severity::Error,
                    msg.clone(),
                    Some(format!(
                        "quote the value as Terraform reads it, e.g. --var '{name}=[\"a\", \"b\"]'"
                    )),
                    Some(decl.span),
                );
                Value::unknown(msg)
            }
        }
    }

    pub(super) fn local(&self, inst: usize, name: &str, span: Span) -> Res {
        let mi = self.inst(inst);
        let Some(attr) = mi.module.locals.get(name) else {
            return Err(Error {
                msg: format!("reference to undeclared local value \"{name}\""),
                span,
            });
        };
        let label = format!("{}local.{name}", mi.prefix);
        Ok(self.memo(
            inst,
            Item::Local(name.to_string()),
            label,
            Some(attr.span),
            || self.eval_reported(&attr.expr, &Self::root_scope(inst)),
        ))
    }

    pub(super) fn output(&self, inst: usize, name: &str, span: Span) -> Res {
        let mi = self.inst(inst);
        let Some(attr) = mi.module.outputs.get(name) else {
            return Err(Error {
                msg: format!(
                    "module {} has no output \"{name}\"",
                    mi.prefix.trim_end_matches('.')
                ),
                span,
            });
        };
        let label = format!("{}output.{name}", mi.prefix);
        Ok(self.memo(
            inst,
            Item::Output(name.to_string()),
            label,
            Some(attr.span),
            || self.eval_reported(&attr.expr, &Self::root_scope(inst)),
        ))
    }
}
