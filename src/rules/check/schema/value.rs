//! One value against one argument of the schema: its type, enum, range, pattern, and
//! whether it names what the AWS API takes there (a name or an ARN).

use super::{Walk, quoted, suggest};
use crate::rules::Defect;
use crate::terraform::schema::{self, Argument, Type, Wants};
use crate::terraform::source::Span;
use crate::terraform::{Reference, Value};

impl Walk<'_> {
    /// Checks a value against an argument; `ty` is the argument's type, or `string` for
    /// an element of a list argument.
    pub(super) fn argument(
        &mut self,
        arg: &Argument,
        ty: Type,
        name: &str,
        path: &str,
        value: &Value,
        span: Span,
    ) {
        match (ty, value) {
            (_, Value::Null | Value::Unknown(_)) => {}
            (_, Value::Reference(r)) => self.reference(arg, ty, name, r, span),
            (_, Value::Resource(r)) => {
                let want = match arg.wants {
                    Some(Wants::Name) => "name",
                    _ => "arn",
                };
                let expr = match ty {
                    Type::List | Type::Set => format!("[{}.{want}]", r.address),
                    _ => format!("{}.{want}", r.address),
                };
                self.push(
                    Defect::WrongType,
                    span,
                    format!(
                        "`{name}` must be a {}, but this is the whole resource `{}` (an object)",
                        ty.terraform_name(),
                        r.address
                    ),
                    Some(format!("refer to one of its attributes, e.g. `{expr}`")),
                );
            }
            (Type::List | Type::Set, Value::List(items)) => {
                if let Some(max) = arg.max_items
                    && items.len() > max
                {
                    self.push(
                        Defect::TooManyItems,
                        span,
                        format!(
                            "`{name}` has {} elements, but the provider accepts at most {max}",
                            items.len()
                        ),
                        None,
                    );
                }
                // The first wrong element is enough: a computed list may hold thousands.
                let before = self.problems.len();
                for (i, item) in items.iter().enumerate() {
                    if self.problems.len() > before {
                        break;
                    }
                    let item_span = self
                        .instance
                        .attribute_spans
                        .get(&format!("{path}[{i}]"))
                        .copied()
                        .unwrap_or(span);
                    match item {
                        Value::List(_) | Value::Map(_) => self.push(
                            Defect::WrongType,
                            item_span,
                            format!(
                                "each element of `{name}` must be a string, but this is a {}",
                                item.type_name()
                            ),
                            None,
                        ),
                        _ => self.argument(arg, Type::String, name, path, item, item_span),
                    }
                }
            }
            (Type::Map, Value::Map(_)) => {}
            // A collection where a scalar goes, or the reverse.
            (Type::List | Type::Set | Type::Map, v) | (_, v @ (Value::List(_) | Value::Map(_))) => {
                let help = match (ty, v) {
                    (Type::List | Type::Set, Value::String(_)) => {
                        Some("put it in brackets: `[…]`".into())
                    }
                    _ => None,
                };
                self.push(
                    Defect::WrongType,
                    span,
                    format!(
                        "`{name}` must be a {}, but this is a {}",
                        ty.terraform_name(),
                        v.type_name()
                    ),
                    help,
                );
            }
            (Type::Number, v) => match number(v) {
                Some(n) => self.number(arg, name, n, span),
                None => self.push(
                    Defect::WrongType,
                    span,
                    format!("`{name}` must be a number, but this is {}", v.render()),
                    None,
                ),
            },
            (Type::Bool, v) => {
                let ok = match v {
                    Value::Bool(_) => true,
                    Value::String(s) => matches!(s.text.as_str(), "true" | "false"),
                    _ => false,
                };
                if !ok {
                    self.push(
                        Defect::WrongType,
                        span,
                        format!("`{name}` must be true or false, but this is {}", v.render()),
                        None,
                    );
                }
            }
            (Type::String, v) => {
                let text = match v {
                    Value::String(s) => s.text.clone(),
                    Value::Number(n) => crate::terraform::value::number_to_string(*n),
                    Value::Bool(b) => b.to_string(),
                    _ => return,
                };
                self.string(arg, name, &text, span);
            }
        }
    }

    fn string(&mut self, arg: &Argument, name: &str, text: &str, span: Span) {
        let shown = match arg.ty {
            Type::List | Type::Set => format!("the element {text:?} of `{name}`"),
            _ => format!("`{name} = {text:?}`"),
        };
        if arg.wants == Some(Wants::Name) && text.starts_with("arn:") {
            self.push(
                Defect::ArnOrName,
                span,
                format!("{shown} is an ARN, but `{name}` takes a name"),
                Some(format!(
                    "use the name alone (the ARN's last part, {:?})",
                    arn_name(text)
                )),
            );
            return;
        }
        if arg.wants == Some(Wants::Arn) && !is_arn(text) {
            self.push(
                Defect::ArnOrName,
                span,
                format!("{shown} is not an ARN, but `{name}` takes an ARN: the provider refuses it at plan"),
                Some("use the resource's ARN (its `.arn` attribute), not its name".into()),
            );
            return;
        }
        if arg.arn && !is_arn(text) {
            self.push(
                Defect::InvalidValue,
                span,
                format!("{shown} is not an ARN: the provider refuses it at plan"),
                Some("use the full ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`), e.g. the resource's `.arn`".into()),
            );
            return;
        }
        if !arg.one_of.is_empty() {
            let exact = arg
                .one_of
                .iter()
                .any(|v| v == text || (arg.ignore_case && v.eq_ignore_ascii_case(text)));
            let pattern = arg
                .or_pattern
                .as_deref()
                .and_then(schema::regex)
                .is_some_and(|r| r.is_match(text));
            if !exact && !pattern {
                let case = arg.one_of.iter().find(|v| v.eq_ignore_ascii_case(text));
                let help = match case {
                    Some(v) => format!("values are case-sensitive here: use `{v}`"),
                    None => match suggest(
                        text,
                        &arg.one_of.iter().map(String::as_str).collect::<Vec<_>>(),
                    ) {
                        Some(v) => format!("did you mean `{v}`?"),
                        None => format!("use one of {}", quoted(&arg.one_of, ", ")),
                    },
                };
                let extra = if arg.or_pattern.is_some() {
                    " or an extended statistic such as `p99`"
                } else {
                    ""
                };
                self.push(
                    Defect::InvalidValue,
                    span,
                    format!(
                        "{shown} is not one of {}{extra}{}: the provider refuses it at plan",
                        quoted(&arg.one_of, ", "),
                        if arg.ignore_case {
                            ""
                        } else {
                            " (case-sensitive)"
                        }
                    ),
                    Some(help),
                );
                return;
            }
        } else if let Some(p) = arg.or_pattern.as_deref()
            && schema::regex(p).is_some_and(|r| !r.is_match(text))
        {
            self.push(
                Defect::InvalidValue,
                span,
                format!("{shown} is not a valid extended statistic (such as `p99`, `tm90`, `IQM`): the provider refuses it at plan"),
                None,
            );
            return;
        }
        if let Some([min, max]) = arg.len {
            let n = text.chars().count();
            if n < min || n > max {
                self.push(
                    Defect::InvalidValue,
                    span,
                    format!(
                        "`{name}` is {n} characters long, but the provider accepts {min} to {max}"
                    ),
                    None,
                );
                return;
            }
        }
        if let (Some(p), Some(means)) = (arg.pattern.as_deref(), arg.pattern_means.as_deref())
            && schema::regex(p).is_some_and(|r| !r.is_match(text))
        {
            self.push(
                Defect::InvalidValue,
                span,
                format!("{shown} is not valid here ({means}): the provider refuses it at plan"),
                None,
            );
        }
    }

    fn number(&mut self, arg: &Argument, name: &str, n: f64, span: Span) {
        let shown = format!(
            "`{name} = {}`",
            crate::terraform::value::number_to_string(n)
        );
        if let Some(min) = arg.at_least
            && n < min
        {
            self.push(
                Defect::InvalidValue,
                span,
                format!(
                    "{shown} is below the provider's minimum of {min}: it refuses the value at plan"
                ),
                None,
            );
        }
        if let Some([min, max]) = arg.between
            && (n < min || n > max)
        {
            self.push(
                Defect::InvalidValue,
                span,
                format!("{shown} is outside {min}..={max}: the provider refuses it at plan"),
                None,
            );
        }
        if !arg.int_in.is_empty() {
            let whole = n.fract() == 0.0;
            let listed = whole && arg.int_in.contains(&(n as i64));
            let multiple = whole && arg.or_multiple_of.is_some_and(|m| (n as i64) % m == 0);
            if !listed && !multiple {
                let values: Vec<String> = arg.int_in.iter().map(i64::to_string).collect();
                let allowed = match arg.or_multiple_of {
                    Some(m) => format!("{} or a multiple of {m}", values.join(", ")),
                    None => values.join(", "),
                };
                self.push(
                    Defect::InvalidValue,
                    span,
                    format!("{shown} is not accepted: the provider takes {allowed}"),
                    None,
                );
            }
        }
    }

    /// A reference to another resource's attribute: its value is unknown, but what it names
    /// (a name or an ARN) and its type are not.
    fn reference(&mut self, arg: &Argument, ty: Type, name: &str, r: &Reference, span: Span) {
        let Some(rtype) = schema::address_type(&r.address) else {
            return;
        };
        let Ok(data) = schema::aws() else {
            return;
        };
        let Some(target) = data.resource.get(rtype) else {
            return;
        };
        let attr = r.attribute.as_str();
        let target_ty = match attr {
            "id" => Some(Type::String),
            _ => target.body.arguments.get(attr).map(|a| a.ty),
        };
        if let Some(target_ty) = target_ty {
            let scalar = |t: Type| matches!(t, Type::String | Type::Number | Type::Bool);
            if scalar(target_ty) != scalar(ty) {
                let fix = if matches!(ty, Type::List | Type::Set) {
                    Some(format!("put it in brackets: `[{r}]`"))
                } else {
                    None
                };
                self.push(
                    Defect::WrongType,
                    span,
                    format!(
                        "`{name}` must be a {}, but `{r}` is a {}",
                        ty.terraform_name(),
                        target_ty.terraform_name()
                    ),
                    fix,
                );
                return;
            }
        }
        let names = match attr {
            "arn" => Some(Wants::Arn),
            "name" | "name_prefix" => Some(Wants::Name),
            "id" => match target.id.as_str() {
                "arn" => Some(Wants::Arn),
                "name" => Some(Wants::Name),
                _ => None,
            },
            _ => None,
        };
        let (Some(want), Some(got)) = (arg.wants, names) else {
            return;
        };
        if want == got {
            return;
        }
        let base = &r.address;
        let (what, better) = match want {
            Wants::Name => ("a name, but this is an ARN", format!("{base}.name")),
            Wants::Arn => ("an ARN, but this is a name", format!("{base}.arn")),
        };
        self.push(
            Defect::ArnOrName,
            span,
            format!("`{name}` takes {what} (`{r}`): AWS refuses it when Terraform applies"),
            Some(format!("use `{better}`")),
        );
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.text.trim().parse().ok(),
        _ => None,
    }
}

fn is_arn(text: &str) -> bool {
    text.starts_with("arn:") && text.splitn(6, ':').count() == 6
}

fn arn_name(arn: &str) -> &str {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    let resource = resource.strip_suffix(":*").unwrap_or(resource);
    resource
        .strip_prefix("log-group:")
        .unwrap_or(resource)
        .rsplit('/')
        .next()
        .unwrap_or(resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        assert!(is_arn("arn:aws:logs:us-east-1:123456789012:log-group:x:*"));
        assert!(!is_arn("cloudtrail-logs"));
        assert_eq!(
            arn_name("arn:aws:logs:us-east-1:123456789012:log-group:trail:*"),
            "trail"
        );
    }
}
