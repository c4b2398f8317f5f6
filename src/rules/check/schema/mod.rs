//! `terraform-schema`: every resource trailwatch reads, checked against the AWS provider's
//! argument schema (`terraform::schema`, data read from the provider's source). Terraform
//! or the provider refuses what this reports — an argument the resource does not have, a
//! required one missing, a value outside its enum or range, a value of the wrong shape —
//! or AWS refuses it at apply (an ARN where the API takes a name). A value unknown before
//! apply is never reported as wrong.

use crate::rules::Defect;
use std::collections::{BTreeMap, BTreeSet};

use crate::rules::{Finding, Location};
use crate::terraform::schema::{self, Block, Resource};
use crate::terraform::source::{SourceMap, Span};
use crate::terraform::{Instance, Value};

mod value;

/// The findings for every instance of one root module, one per source location and message
/// (instances of one block share their mistakes). Where instances differ only in the value
/// (`name = "x-${each.key}"` too long), the first instance's finding stands for the others
/// and says how many: a `for_each` over thousands of keys is one finding, not thousands.
pub fn check(instances: &[Instance], sources: &SourceMap) -> Vec<Finding> {
    let schema = match schema::aws() {
        Ok(s) => s,
        Err(e) => {
            let mut f = super::context::finding(Defect::SchemaData, e.into(), None);
            f.help = Some("this is a defect of trailwatch: please report it".into());
            return vec![f];
        }
    };
    let mut out: Vec<Finding> = Vec::new();
    let mut seen = BTreeSet::new();
    // (location, defect) → the instance that reported it first, its finding, and how many
    // other instances had it too.
    let mut first: BTreeMap<(Option<Location>, Defect), (&str, usize, usize)> = BTreeMap::new();
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
            match first.get_mut(&(location.clone(), p.defect)) {
                Some((by, _, others)) if *by != instance.address => {
                    *others += 1;
                    continue;
                }
                Some(_) => {}
                None => {
                    first.insert(
                        (location.clone(), p.defect),
                        (&instance.address, out.len(), 0),
                    );
                }
            }
            let mut f = super::context::finding(p.defect, p.message, Some(instance));
            f.location = location;
            f.help = p.help;
            out.push(f);
        }
    }
    for (_, index, others) in first.into_values() {
        if others > 0
            && let Some(f) = out.get_mut(index)
        {
            f.message.push_str(&format!(
                " (and in {others} other instance(s) of this block)"
            ));
        }
    }
    out
}

struct Problem {
    defect: Defect,
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
                Defect::MissingArgument,
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
                            Defect::ArgumentAsBlock,
                            self.head(span),
                            format!("`{name}` is an argument, not a block: Terraform refuses `{name} {{ … }}`"),
                            Some(format!("write `{name} = {{ … }}` with an equals sign")),
                        );
                    }
                    continue;
                }
                if arg.computed {
                    self.push(
                        Defect::ComputedArgument,
                        self.name_span(name, span),
                        format!("`{name}` is set by the provider and cannot be configured: Terraform refuses it"),
                        Some(format!("remove `{name}`; read it as `{}.{name}`", self.instance.address)),
                    );
                    continue;
                }
                self.conflicts(schema, prefix, name, span, attributes, value);
                self.argument(arg, arg.ty, name, &path, value, span);
            } else if let Some(block) = schema.blocks.get(name) {
                if !is_block && !json && !matches!(value, Value::Unknown(_)) {
                    self.push(
                        Defect::BlockAsArgument,
                        self.name_span(name, span),
                        format!(
                            "`{name}` is a block, not an argument: Terraform refuses `{name} = …`"
                        ),
                        Some(format!("write it as a block: `{name} {{ … }}`")),
                    );
                    continue;
                }
                self.conflicts(schema, prefix, name, span, attributes, value);
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
                    Defect::MissingArgument,
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
                    Defect::MissingArgument,
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
                Defect::TooManyItems,
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
                Defect::MissingArgument,
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
                    Defect::UnknownArgument,
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
                Defect::UnknownBlock
            } else {
                Defect::UnknownArgument
            },
            span,
            format!("{owner} has no {what} named `{name}`: Terraform refuses the configuration"),
            help,
        );
    }

    /// `ConflictsWith`, read both ways (the provider lists a pair on one side or both),
    /// reported once, at the later of the two.
    fn conflicts(
        &mut self,
        schema: &Block,
        prefix: &str,
        name: &str,
        span: Span,
        attributes: &std::collections::BTreeMap<String, Value>,
        value: &Value,
    ) {
        if !is_set(Some(value)) {
            return;
        }
        let listed = |n: &str| -> &[String] {
            match (schema.arguments.get(n), schema.blocks.get(n)) {
                (Some(a), _) => &a.conflicts,
                (_, Some(b)) => &b.conflicts,
                _ => &[],
            }
        };
        let others: BTreeSet<&str> = listed(name)
            .iter()
            .map(String::as_str)
            .chain(
                attributes
                    .keys()
                    .map(String::as_str)
                    .filter(|other| listed(other).iter().any(|c| c == name)),
            )
            .collect();
        for other in others {
            if is_set(attributes.get(other))
                && let Some(other_span) = self.written(&format!("{prefix}{other}"))
                && other_span.range().start < span.range().start
            {
                self.push(
                    Defect::ConflictingArguments,
                    self.name_span(name, span),
                    format!("`{name}` and `{other}` cannot both be set: the provider refuses the resource"),
                    Some(format!("remove one of `{name}` and `{other}`")),
                );
            }
        }
    }

    fn push(&mut self, defect: Defect, span: Span, message: String, help: Option<String>) {
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

fn is_set(v: Option<&Value>) -> bool {
    matches!(v, Some(v) if !matches!(v, Value::Null | Value::Unknown(_)))
}

fn is_set_or_unknown(v: Option<&Value>) -> bool {
    matches!(v, Some(v) if !matches!(v, Value::Null))
}

pub(super) fn quoted(names: &[impl AsRef<str>], sep: &str) -> String {
    names
        .iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The candidate a misspelt name most likely meant: a small edit distance (Terraform's own
/// suggestion), or a name made of the same words (`filter_pattern` → `pattern`).
pub(super) fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let by_distance = candidates
        .iter()
        .map(|c| {
            (
                crate::distance::distance(&word.to_lowercase(), &c.to_lowercase()),
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
        .min_by_key(|c| (crate::distance::distance(word, c), **c))
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
}
