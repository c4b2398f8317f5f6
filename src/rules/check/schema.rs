//! `terraform-schema`: every resource trailwatch reads, checked against the AWS provider's
//! argument schema (`terraform::schema`, data read from the provider's source). Terraform
//! or the provider refuses what this reports — an argument the resource does not have, a
//! required one missing, a value outside its enum or range, a value of the wrong shape —
//! or AWS refuses it at apply (an ARN where the API takes a name). A value unknown before
//! apply is never reported as wrong.

use std::collections::BTreeSet;

use crate::rules::{Finding, Level};
use crate::terraform::schema::{self, Argument, Block, Resource, Type, Wants};
use crate::terraform::source::{SourceMap, Span};
use crate::terraform::{Instance, Reference, Value};

pub const RULE: &str = "terraform-schema";

/// The findings for every instance of one root module, one per source location and message
/// (instances of one block share their mistakes).
pub fn check(instances: &[Instance], sources: &SourceMap) -> Vec<Finding> {
    let schema = match schema::aws() {
        Ok(s) => s,
        Err(e) => {
            let mut f = super::context::finding(RULE, "schema-data", Level::Error, e.into(), None);
            f.help = Some("this is a defect of trailwatch: please report it".into());
            return vec![f];
        }
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for instance in instances.iter().filter(|i| !i.data) {
        let Some(resource) = schema.resource.get(&instance.rtype) else {
            continue;
        };
        let mut walk = Walk {
            instance,
            sources,
            resource,
            problems: Vec::new(),
        };
        walk.resource();
        for p in walk.problems {
            let location = super::span_location(sources, p.span);
            if !seen.insert((location.clone(), p.message.clone())) {
                continue;
            }
            let mut f =
                super::context::finding(RULE, p.defect, Level::Error, p.message, Some(instance));
            f.location = location;
            f.help = p.help;
            out.push(f);
        }
    }
    out
}

struct Problem {
    defect: &'static str,
    span: Span,
    message: String,
    help: Option<String>,
}

struct Walk<'a> {
    instance: &'a Instance,
    sources: &'a SourceMap,
    resource: &'a Resource,
    problems: Vec<Problem>,
}

impl Walk<'_> {
    fn resource(&mut self) {
        let attributes = &self.instance.attributes;
        let head = self.head(self.instance.span);
        self.body(&self.resource.body, attributes, "", head, None);
        // Two of them set is a conflict the arguments' own `conflicts` report; none set is
        // this rule's.
        if let Some(rule) = &self.resource.exactly_one_of_when
            && is_set(attributes.get(&rule.when))
            && rule
                .one_of
                .iter()
                .all(|n| !is_set_or_unknown(attributes.get(n)))
        {
            let names = quoted(&rule.one_of, " or ");
            self.push(
                "missing-argument",
                head,
                format!(
                    "`{}` is set, so one of {names} must be set too: the provider refuses the alarm at plan",
                    rule.when
                ),
                None,
            );
        }
    }

    /// Checks one body (the resource's, or one nested block's) against its schema.
    fn body(
        &mut self,
        schema: &Block,
        attributes: &std::collections::BTreeMap<String, Value>,
        prefix: &str,
        head: Span,
        // The nested block's type; `None` for the resource body.
        block: Option<&str>,
    ) {
        let json = self.is_json();
        for (name, value) in attributes {
            let path = format!("{prefix}{name}");
            let as_attribute = self.instance.attribute_spans.get(&path).copied();
            let first_block = self
                .instance
                .attribute_spans
                .get(&format!("{path}[0]"))
                .copied();
            // Only what is written in the source: values the evaluator derives are not
            // arguments.
            let Some(span) = as_attribute.or(first_block) else {
                continue;
            };
            let is_block = as_attribute.is_none();
            if let Some(arg) = schema.arguments.get(name) {
                // JSON syntax cannot tell a block from an object: Terraform decides by the
                // schema, so only native syntax can write the wrong one.
                if is_block {
                    if !json {
                        self.push(
                            "argument-as-block",
                            self.head(span),
                            format!("`{name}` is an argument, not a block: Terraform refuses `{name} {{ … }}`"),
                            Some(format!("write `{name} = {{ … }}` with an equals sign")),
                        );
                    }
                    continue;
                }
                if arg.computed {
                    self.push(
                        "computed-argument",
                        self.name_span(name, span),
                        format!("`{name}` is set by the provider and cannot be configured: Terraform refuses it"),
                        Some(format!("remove `{name}`; read it as `{}.{name}`", self.instance.address)),
                    );
                    continue;
                }
                self.conflicts(&arg.conflicts, prefix, name, span, attributes, value);
                self.argument(arg, arg.ty, name, &path, value, span);
            } else if let Some(block) = schema.blocks.get(name) {
                if !is_block && !json && !matches!(value, Value::Unknown(_)) {
                    self.push(
                        "block-as-argument",
                        self.name_span(name, span),
                        format!(
                            "`{name}` is a block, not an argument: Terraform refuses `{name} = …`"
                        ),
                        Some(format!("write it as a block: `{name} {{ … }}`")),
                    );
                    continue;
                }
                self.conflicts(&block.conflicts, prefix, name, span, attributes, value);
                self.nested(block, name, &path, value, head);
            } else if block.is_none() && name == "timeouts" && !self.resource.timeouts.is_empty() {
                self.timeouts(&path, value);
            } else if !(block.is_none() && matches!(name.as_str(), "region" | "id")) {
                self.unknown(schema, name, span, is_block, block);
            }
        }
        for (name, arg) in &schema.arguments {
            if arg.required && !is_set_or_unknown(attributes.get(name)) {
                self.push(
                    "missing-argument",
                    head,
                    format!(
                        "the required argument `{name}` is missing: Terraform refuses the block"
                    ),
                    None,
                );
            }
        }
        for (name, block) in &schema.blocks {
            if block.min_items > 0 && !is_set_or_unknown(attributes.get(name)) {
                let n = block.min_items;
                self.push(
                    "missing-argument",
                    head,
                    format!(
                        "the required block `{name}` is missing (at least {n} {}): Terraform refuses the resource",
                        if n == 1 { "is needed" } else { "are needed" }
                    ),
                    None,
                );
            }
        }
    }

    /// The instances of one nested block type.
    fn nested(&mut self, block: &Block, name: &str, path: &str, value: &Value, head: Span) {
        let Value::List(items) = value else {
            return;
        };
        if let Some(max) = block.max_items
            && items.len() > max
        {
            let span = self.block_span(path, max).unwrap_or(head);
            self.push(
                "too-many-items",
                span,
                format!(
                    "{} `{name}` blocks, but the provider accepts at most {max}",
                    items.len()
                ),
                None,
            );
        }
        if items.len() < block.min_items && !items.is_empty() {
            self.push(
                "missing-argument",
                head,
                format!(
                    "{} `{name}` blocks, but the provider needs at least {}",
                    items.len(),
                    block.min_items
                ),
                None,
            );
        }
        for (i, item) in items.iter().enumerate() {
            if let Value::Map(inner) = item {
                let item_path = format!("{path}[{i}]");
                let item_head = self.block_span(path, i).unwrap_or(head);
                self.body(
                    block,
                    inner,
                    &format!("{item_path}."),
                    item_head,
                    Some(name),
                );
            }
        }
    }

    fn timeouts(&mut self, path: &str, value: &Value) {
        let Value::List(items) = value else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let Value::Map(inner) = item else {
                continue;
            };
            for key in inner.keys() {
                if self.resource.timeouts.contains(key) {
                    continue;
                }
                let span = self
                    .instance
                    .attribute_spans
                    .get(&format!("{path}[{i}].{key}"))
                    .copied()
                    .unwrap_or(self.instance.span);
                self.push(
                    "unknown-argument",
                    self.name_span(key, span),
                    format!(
                        "`timeouts` of {} has no `{key}`: it takes {}",
                        self.instance.rtype,
                        quoted(&self.resource.timeouts, ", ")
                    ),
                    None,
                );
            }
        }
    }

    fn unknown(
        &mut self,
        schema: &Block,
        name: &str,
        span: Span,
        is_block: bool,
        block: Option<&str>,
    ) {
        let what = if is_block { "block type" } else { "argument" };
        let arguments = schema
            .arguments
            .iter()
            .filter(|(_, a)| !a.computed)
            .map(|(n, _)| n.as_str());
        let mut blocks: Vec<&str> = schema.blocks.keys().map(String::as_str).collect();
        if block.is_none() && !self.resource.timeouts.is_empty() {
            blocks.push("timeouts");
        }
        // A misspelt name may have meant either kind; the list names the kind written.
        let candidates: Vec<&str> = arguments.clone().chain(blocks.iter().copied()).collect();
        let owner = match block {
            None => format!("`{}`", self.instance.rtype),
            Some(b) => format!("a `{b}` block"),
        };
        let listed: Vec<&str> = if is_block {
            blocks
        } else {
            arguments.collect()
        };
        let help = match (suggest(name, &candidates), listed.is_empty()) {
            (Some(s), _) => format!("did you mean `{s}`?"),
            (None, true) => format!("{owner} has no nested blocks"),
            (None, false) => format!("the {what}s of {owner}: {}", quoted(&listed, ", ")),
        };
        let help = Some(help);
        let span = if is_block {
            self.head(span)
        } else {
            self.name_span(name, span)
        };
        self.push(
            if is_block {
                "unknown-block"
            } else {
                "unknown-argument"
            },
            span,
            format!("{owner} has no {what} named `{name}`: Terraform refuses the configuration"),
            help,
        );
    }

    fn conflicts(
        &mut self,
        conflicts: &[String],
        prefix: &str,
        name: &str,
        span: Span,
        attributes: &std::collections::BTreeMap<String, Value>,
        value: &Value,
    ) {
        if !is_set(Some(value)) {
            return;
        }
        for other in conflicts {
            // Reported once, at the later of the two.
            if is_set(attributes.get(other))
                && let Some(other_span) = self.written(&format!("{prefix}{other}"))
                && other_span.range().start < span.range().start
            {
                self.push(
                    "conflicting-arguments",
                    self.name_span(name, span),
                    format!("`{name}` and `{other}` cannot both be set: the provider refuses the resource"),
                    Some(format!("remove one of `{name}` and `{other}`")),
                );
            }
        }
    }

    /// Checks a value against an argument; `ty` is the argument's type, or `string` for
    /// an element of a list argument.
    fn argument(
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
                    "wrong-type",
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
                        "too-many-items",
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
                            "wrong-type",
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
                    "wrong-type",
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
                    "wrong-type",
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
                        "wrong-type",
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
                "arn-or-name",
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
                "arn-or-name",
                span,
                format!("{shown} is not an ARN, but `{name}` takes an ARN: the provider refuses it at plan"),
                Some("use the resource's ARN (its `.arn` attribute), not its name".into()),
            );
            return;
        }
        if arg.arn && !is_arn(text) {
            self.push(
                "invalid-value",
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
                    "invalid-value",
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
                "invalid-value",
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
                    "invalid-value",
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
                "invalid-value",
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
                "invalid-value",
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
                "invalid-value",
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
                    "invalid-value",
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
                    "wrong-type",
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
            "arn-or-name",
            span,
            format!("`{name}` takes {what} (`{r}`): AWS refuses it when Terraform applies"),
            Some(format!("use `{better}`")),
        );
    }

    fn push(&mut self, defect: &'static str, span: Span, message: String, help: Option<String>) {
        self.problems.push(Problem {
            defect,
            span,
            message,
            help,
        });
    }

    fn is_json(&self) -> bool {
        self.sources
            .get(self.instance.span.file)
            .is_some_and(|f| f.display.ends_with(".json"))
    }

    /// The first line of a block's span (`metric_transformation {`).
    fn head(&self, span: Span) -> Span {
        let text = self
            .sources
            .get(span.file)
            .and_then(|f| f.text.get(span.range()))
            .unwrap_or("");
        let end = text.find('\n').unwrap_or(text.len());
        let start = span.range().start;
        Span::new(span.file, start..start + end)
    }

    /// The argument's name before its value (`name = value`, `"name": value`), or the value
    /// when the text before it is not that.
    fn name_span(&self, name: &str, value: Span) -> Span {
        let Some(text) = self.sources.get(value.file).map(|f| &f.text) else {
            return value;
        };
        let start = value.range().start;
        let before = text.get(..start).unwrap_or("").trim_end();
        let Some(before) = before
            .strip_suffix('=')
            .or_else(|| before.strip_suffix(':'))
        else {
            return value;
        };
        let before = before.trim_end();
        let quoted = before
            .strip_suffix('"')
            .and_then(|b| b.strip_suffix(name))
            .and_then(|b| b.strip_suffix('"'));
        match quoted.or_else(|| before.strip_suffix(name)) {
            Some(rest) => Span::new(value.file, rest.len()..before.len()),
            None => value,
        }
    }

    fn block_span(&self, path: &str, i: usize) -> Option<Span> {
        let span = self.instance.attribute_spans.get(&format!("{path}[{i}]"))?;
        Some(self.head(*span))
    }

    /// Where an argument or the first block of a type is written.
    fn written(&self, path: &str) -> Option<Span> {
        let spans = &self.instance.attribute_spans;
        spans
            .get(path)
            .or_else(|| spans.get(&format!("{path}[0]")))
            .copied()
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.text.trim().parse().ok(),
        _ => None,
    }
}

fn is_set(v: Option<&Value>) -> bool {
    matches!(v, Some(v) if !matches!(v, Value::Null | Value::Unknown(_)))
}

fn is_set_or_unknown(v: Option<&Value>) -> bool {
    matches!(v, Some(v) if !matches!(v, Value::Null))
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

fn quoted(names: &[impl AsRef<str>], sep: &str) -> String {
    names
        .iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The candidate a misspelt name most likely meant: a small edit distance (Terraform's own
/// suggestion), or a name made of the same words (`filter_pattern` → `pattern`).
fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let by_distance = candidates
        .iter()
        .map(|c| {
            (
                crate::report::distance(&word.to_lowercase(), &c.to_lowercase()),
                *c,
            )
        })
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min();
    if let Some((_, c)) = by_distance {
        return Some(c);
    }
    let words = |s: &str| -> BTreeSet<String> { s.split('_').map(str::to_lowercase).collect() };
    let mine = words(word);
    candidates
        .iter()
        .filter(|c| {
            let theirs = words(c);
            theirs.is_subset(&mine) || mine.is_subset(&theirs)
        })
        .min_by_key(|c| (crate::report::distance(word, c), **c))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let args = ["pattern", "name", "log_group_name", "metric_transformation"];
        assert_eq!(suggest("filter_pattern", &args), Some("pattern"));
        assert_eq!(
            suggest("metric_transformations", &args),
            Some("metric_transformation")
        );
        assert_eq!(suggest("log_group", &args), Some("log_group_name"));
        assert_eq!(suggest("retention", &args), None);
        assert_eq!(suggest("Summ", &["Sum", "Average"]), Some("Sum"));
    }

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
