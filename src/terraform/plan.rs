//! `terraform show -json` plan files: `planned_values` become fully known instances,
//! unknown-after-apply values become unknown (with the references the configuration section
//! names), and instances are mapped back to `.tf` locations when the configuration is present.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value as J;

use crate::discover::read::{MAX_PLAN_BYTES, Origin, read_text};

use super::value::{Reference, Unknown, Value};
use super::{Diagnostic, Instance, InstanceKey, LoadOptions, Loaded, Location, Severity, Span};

/// Loads a plan; `config` is the directory holding the configuration the plan was made from.
pub fn load_plan(plan: &Path, config: Option<&Path>, options: &LoadOptions) -> Loaded {
    let mut loaded = match config {
        Some(dir) if has_config(dir) => super::load(&[dir.to_path_buf()], options),
        _ => Loaded::default(),
    };
    // Source spans from the configuration, by address.
    let from_config: HashMap<String, Instance> = std::mem::take(&mut loaded.instances)
        .into_iter()
        .filter(|i| i.root == ".")
        .map(|i| (i.address.clone(), i))
        .collect();
    // Diagnostics of the configuration matter less than the plan's own; keep errors only.
    loaded.diagnostics.retain(|d| d.severity == Severity::Error);

    let text = match read_text(plan, Origin::CommandLine, MAX_PLAN_BYTES) {
        Ok(t) => t,
        Err(e) => {
            loaded.diagnostics.push(diag(
                None,
                format!("cannot read plan {}: {e}", plan.display()),
            ));
            return loaded;
        }
    };
    let display = plan.file_name().map_or_else(
        || plan.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let text: Arc<str> = text.into();
    let file = loaded
        .sources
        .add(PathBuf::from(plan), display, text.clone());
    let plan_file = loaded
        .sources
        .get(file)
        .map(|f| f.display.clone())
        .unwrap_or_default();
    let at_start = Location {
        file: plan_file.clone(),
        line: 1,
        column: 1,
    };
    // `terraform show -json` writes an object with `format_version` "1.x" (0.x before
    // Terraform 1.0); anything else is not a plan this loader understands.
    // Any JSON that is not an object: said as such (JSON errors are reported below).
    if !text.trim_start().starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok()
    {
        loaded.diagnostics.push(diag(
            Some(at_start),
            format!("plan {plan_file} is not a `terraform show -json` plan (not a JSON object)"),
        ));
        return loaded;
    }
    let mut doc: PlanDoc = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => {
            let loc = Location {
                file: plan_file.clone(),
                line: e.line(),
                column: e.column(),
            };
            loaded
                .diagnostics
                .push(diag(Some(loc), format!("invalid plan JSON: {e}")));
            return loaded;
        }
    };
    let problem = match doc.format_version.as_ref().map(J::as_str) {
        None => {
            Some("has no `format_version`: is it the output of `terraform show -json`?".to_string())
        }
        Some(None) => Some("has a `format_version` that is not a string".to_string()),
        Some(Some(v)) if !(v.starts_with("1.") || v.starts_with("0.")) => Some(format!(
            "has format_version {v:?}, which trailwatch does not know (it reads 0.x and 1.x)"
        )),
        _ => None,
    };
    if let Some(problem) = problem {
        loaded
            .diagnostics
            .push(diag(Some(at_start), format!("plan {plan_file} {problem}")));
        return loaded;
    }
    let mut problems = Problems::default();
    let resources = planned_resources(doc.planned_values.take(), &mut problems);
    let unknown = after_unknown(&doc);
    let mut refs = BTreeMap::new();
    if let Some(root) = doc
        .configuration
        .as_ref()
        .and_then(|c| c.pointer("/root_module"))
    {
        config_refs(root, "", &BTreeMap::new(), &mut refs);
    }
    // Where each address first appears in the plan, found in one pass over the text, for
    // the instances the configuration does not locate.
    let unlocated: HashSet<String> = resources
        .iter()
        .filter(|r| !from_config.contains_key(&r.address))
        .map(|r| J::String(r.address.clone()).to_string())
        .collect();
    let first_at = first_occurrences(&text, &unlocated);

    let mut instances = Vec::with_capacity(resources.len());
    for r in resources {
        let address = r.address.as_str();
        let module = module_of(address, r.data, &r.rtype);
        let config_address = strip_key(address);
        let conf_refs = refs.get(&strip_module_keys(&config_address));
        let mut attributes: BTreeMap<String, Value> = r
            .values
            .map(|o| {
                o.into_iter()
                    .map(|(k, v)| (k, Value::from_json(&v)))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(J::Object(u)) = unknown.get(address) {
            for (k, flag) in u {
                let attr_refs = conf_refs.and_then(|m: &BTreeMap<String, Vec<String>>| m.get(k));
                let v = attributes.remove(k).unwrap_or(Value::Null);
                attributes.insert(k.clone(), mark_unknown(v, flag, address, k, attr_refs));
            }
        }
        let (span, attribute_spans) = match from_config.get(address) {
            Some(c) => (c.span, c.attribute_spans.clone()),
            None => {
                // No configuration: point at the address in the plan file.
                let needle = J::String(address.to_string()).to_string();
                let at = first_at.get(needle.as_str()).copied().unwrap_or(0);
                (Span::new(file, at..at + needle.len()), BTreeMap::new())
            }
        };
        instances.push(Instance {
            root: ".".into(),
            address: address.to_string(),
            module,
            data: r.data,
            rtype: r.rtype,
            name: r.name,
            key: r.key,
            attributes,
            attribute_spans,
            span,
        });
    }
    for message in problems.into_messages() {
        loaded.diagnostics.push(diag(
            Some(at_start.clone()),
            format!("plan {plan_file}: {message}"),
        ));
    }
    instances.sort_by(Instance::order);
    loaded.instances = instances;
    loaded.roots = vec![".".into()];
    loaded.diagnostics.sort();
    loaded
}

fn has_config(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.filter_map(Result::ok).any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.ends_with(".tf") || n.ends_with(".tf.json")
        })
    })
}

fn diag(location: Option<Location>, message: String) -> Diagnostic {
    Diagnostic {
        location,
        severity: Severity::Error,
        message,
        help: None,
        span: None,
        kind: super::DiagKind::Syntax,
        related: None,
    }
}

/// The problems of a plan's shape, each naming its JSON path; only the first
/// [`MAX_PROBLEMS`] are kept, so a plan broken a million times is reported in a few lines.
#[derive(Default)]
struct Problems {
    messages: Vec<String>,
    more: usize,
}

const MAX_PROBLEMS: usize = 20;

impl Problems {
    fn add(&mut self, path: &str, message: impl std::fmt::Display) {
        if self.messages.len() < MAX_PROBLEMS {
            self.messages.push(format!("`{path}` {message}"));
        } else {
            self.more += 1;
        }
    }

    fn into_messages(mut self) -> Vec<String> {
        if self.more > 0 {
            self.messages
                .push(format!("{} more problems of the same kind", self.more));
        }
        self.messages
    }
}

/// What a JSON value is, for messages.
fn json_kind(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "a boolean",
        J::Number(_) => "a number",
        J::String(_) => "a string",
        J::Array(_) => "an array",
        J::Object(_) => "an object",
    }
}

/// Takes `key` out of the object `m` (at JSON path `path`) when present; a value of another
/// kind than `want` is reported and gives `None`.
fn take<T>(
    m: &mut serde_json::Map<String, J>,
    path: &str,
    key: &str,
    want: &str,
    convert: fn(J) -> Result<T, J>,
    problems: &mut Problems,
) -> Option<T> {
    match convert(m.remove(key)?) {
        Ok(v) => Some(v),
        Err(other) => {
            problems.add(
                &format!("{path}.{key}"),
                format_args!("is {}, expected {want}", json_kind(&other)),
            );
            None
        }
    }
}

fn array(v: J) -> Result<Vec<J>, J> {
    match v {
        J::Array(a) => Ok(a),
        other => Err(other),
    }
}

fn object(v: J) -> Result<serde_json::Map<String, J>, J> {
    match v {
        J::Object(o) => Ok(o),
        other => Err(other),
    }
}

fn string(v: J) -> Result<String, J> {
    match v {
        J::String(s) => Ok(s),
        other => Err(other),
    }
}

/// An object, or the problem of a value that is not one.
fn expect_object(
    v: J,
    path: &str,
    what: &str,
    problems: &mut Problems,
) -> Option<serde_json::Map<String, J>> {
    object(v)
        .map_err(|other| {
            problems.add(
                path,
                format_args!("is {}, expected {what}", json_kind(&other)),
            );
        })
        .ok()
}

/// One resource instance of `planned_values`, checked.
struct PlannedResource {
    address: String,
    data: bool,
    rtype: String,
    name: String,
    key: Option<InstanceKey>,
    values: Option<serde_json::Map<String, J>>,
}

/// The resources of `planned_values`, every module walked (iteratively: a plan nested
/// deeply cannot exhaust the stack), taken out of the document so that each resource's JSON
/// is freed once it is converted. A resource that is not well formed is reported with its
/// JSON path and left out; so is a second resource with an address already seen.
fn planned_resources(planned: Option<J>, problems: &mut Problems) -> Vec<PlannedResource> {
    let mut out = Vec::new();
    let Some(planned) = planned else {
        problems.add(
            "planned_values",
            "is missing: write the plan with `terraform show -json PLANFILE`",
        );
        return out;
    };
    let Some(mut planned) = expect_object(planned, "planned_values", "an object", problems) else {
        return out;
    };
    let Some(root) = planned.remove("root_module") else {
        problems.add("planned_values.root_module", "is missing");
        return out;
    };
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut modules = vec![(root, "planned_values.root_module".to_string())];
    while let Some((module, path)) = modules.pop() {
        let Some(mut module) = expect_object(module, &path, "a module object", problems) else {
            continue;
        };
        let resources = take(&mut module, &path, "resources", "an array", array, problems);
        for (i, r) in resources.into_iter().flatten().enumerate() {
            let at = format!("{path}.resources[{i}]");
            let Some(r) = planned_resource(r, &at, problems) else {
                continue;
            };
            match seen.entry(r.address.clone()) {
                std::collections::hash_map::Entry::Occupied(first) => problems.add(
                    &format!("{at}.address"),
                    format_args!("repeats {:?}, already at `{}`", r.address, first.get()),
                ),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(at);
                    out.push(r);
                }
            }
        }
        let children = take(
            &mut module,
            &path,
            "child_modules",
            "an array",
            array,
            problems,
        );
        // Pushed in reverse so modules are visited in the plan's order.
        for (i, child) in children.unwrap_or_default().into_iter().enumerate().rev() {
            modules.push((child, format!("{path}.child_modules[{i}]")));
        }
    }
    out
}

fn planned_resource(r: J, path: &str, problems: &mut Problems) -> Option<PlannedResource> {
    let mut r = expect_object(r, path, "a resource object", problems)?;
    let mut required = |key: &str| {
        let present = r.contains_key(key);
        let v = take(&mut r, path, key, "a string", string, problems);
        if !present {
            problems.add(&format!("{path}.{key}"), "is missing");
        }
        v
    };
    let (address, rtype, name) = (required("address"), required("type"), required("name"));
    let mode = take(&mut r, path, "mode", "a string", string, problems);
    let values = match r.remove("values") {
        None => None,
        Some(v) => Some(expect_object(
            v,
            &format!("{path}.values"),
            "an object",
            problems,
        )?),
    };
    let key = match r.remove("index") {
        None | Some(J::Null) => None,
        Some(J::Number(n)) => match n.as_i64() {
            Some(n) => Some(InstanceKey::Int(n)),
            None => {
                problems.add(&format!("{path}.index"), "is not a whole number");
                return None;
            }
        },
        Some(J::String(s)) => Some(InstanceKey::Str(s)),
        Some(other) => {
            problems.add(
                &format!("{path}.index"),
                format_args!("is {}, expected a number or a string", json_kind(&other)),
            );
            return None;
        }
    };
    Some(PlannedResource {
        address: address?,
        data: mode.as_deref() == Some("data"),
        rtype: rtype?,
        name: name?,
        key,
        values,
    })
}

/// The parts of a plan trailwatch reads. The rest (`prior_state`, each change's `before`
/// and `after`, which repeat `planned_values`) is skipped while parsing, never held.
#[derive(serde::Deserialize)]
struct PlanDoc {
    #[serde(default, deserialize_with = "present")]
    format_version: Option<J>,
    #[serde(default, deserialize_with = "present")]
    planned_values: Option<J>,
    #[serde(default)]
    resource_changes: Vec<ResourceChange>,
    #[serde(default)]
    configuration: Option<J>,
}

#[derive(serde::Deserialize)]
struct ResourceChange {
    address: Option<String>,
    change: Option<Change>,
}

#[derive(serde::Deserialize)]
struct Change {
    after_unknown: Option<J>,
}

/// `Some` for a key that is present, even with `null` (which `Option` alone reads as absent).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<J>, D::Error> {
    serde::Deserialize::deserialize(d).map(Some)
}

/// `resource_changes[].change.after_unknown`, by address.
fn after_unknown(doc: &PlanDoc) -> HashMap<&str, &J> {
    doc.resource_changes
        .iter()
        .filter_map(|c| {
            Some((
                c.address.as_deref()?,
                c.change.as_ref()?.after_unknown.as_ref()?,
            ))
        })
        .collect()
}

/// The offset of the first JSON string literal in `text` equal to each of `needles` (with
/// its quotes), in one pass: strings are where a `"` outside a string starts one.
fn first_occurrences<'a>(text: &str, needles: &'a HashSet<String>) -> HashMap<&'a str, usize> {
    let mut found = HashMap::new();
    if needles.is_empty() {
        return found;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(start) = bytes[i..].iter().position(|&b| b == b'"').map(|p| i + p) {
        let mut end = start + 1;
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        if end >= bytes.len() {
            break;
        }
        if let Some(literal) = text.get(start..=end)
            && let Some(needle) = needles.get(literal)
        {
            found.entry(needle.as_str()).or_insert(start);
        }
        i = end + 1;
    }
    found
}

/// `module.a["k"].aws_x.y[0]` → `module.a["k"]`
fn module_of(address: &str, data: bool, rtype: &str) -> String {
    let marker = if data {
        format!("data.{rtype}.")
    } else {
        format!("{rtype}.")
    };
    let mut best = 0;
    let mut from = 0;
    while let Some(i) = address[from..].find(&marker) {
        let at = from + i;
        if at == 0 || address[..at].ends_with('.') {
            best = at;
        }
        from = at + 1;
    }
    address[..best].trim_end_matches('.').to_string()
}

/// Drops a trailing instance key: `aws_x.y["k"]` → `aws_x.y`.
fn strip_key(address: &str) -> String {
    if address.ends_with(']')
        && let Some(i) = address.rfind('[')
    {
        return address[..i].to_string();
    }
    address.to_string()
}

/// `module.a["k"].module.b[0].aws_x.y` → `module.a.module.b.aws_x.y`, the configuration's form.
fn strip_module_keys(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut prev = '\0';
    for c in address.chars() {
        match c {
            '"' if depth > 0 && prev != '\\' => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        prev = c;
    }
    out
}

/// Collects `expressions.<attr>.references` per resource of the configuration section, as
/// absolute addresses; `var.x` inside a module is replaced by what the module call passes.
fn config_refs(
    m: &J,
    prefix: &str,
    inputs: &BTreeMap<String, Vec<String>>,
    out: &mut BTreeMap<String, BTreeMap<String, Vec<String>>>,
) {
    let resolve = |e: &J| -> Vec<String> {
        let mut raw = Vec::new();
        collect_refs(e, &mut raw);
        let mut refs = Vec::new();
        for r in raw {
            if let Some(var) = r.strip_prefix("var.") {
                let name = var.split(['.', '[']).next().unwrap_or(var);
                refs.extend(inputs.get(name).into_iter().flatten().cloned());
            } else if !r.starts_with("local.")
                && !r.starts_with("each.")
                && !r.starts_with("count.")
            {
                refs.push(format!("{prefix}{r}"));
            }
        }
        refs
    };
    for r in m
        .get("resources")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        let Some(addr) = r.get("address").and_then(J::as_str) else {
            continue;
        };
        let mut attrs = BTreeMap::new();
        for (k, e) in r
            .get("expressions")
            .and_then(J::as_object)
            .into_iter()
            .flatten()
        {
            let refs = resolve(e);
            if !refs.is_empty() {
                attrs.insert(k.clone(), refs);
            }
        }
        out.insert(format!("{prefix}{addr}"), attrs);
    }
    for (name, call) in m
        .get("module_calls")
        .and_then(J::as_object)
        .into_iter()
        .flatten()
    {
        let child_inputs: BTreeMap<String, Vec<String>> = call
            .get("expressions")
            .and_then(J::as_object)
            .into_iter()
            .flatten()
            .map(|(k, e)| (k.clone(), resolve(e)))
            .collect();
        if let Some(child) = call.get("module") {
            config_refs(
                child,
                &format!("{prefix}module.{name}."),
                &child_inputs,
                out,
            );
        }
    }
}

fn collect_refs(e: &J, out: &mut Vec<String>) {
    match e {
        J::Object(o) => {
            if let Some(J::Array(rs)) = o.get("references") {
                out.extend(rs.iter().filter_map(J::as_str).map(String::from));
            }
            for (k, v) in o {
                if k != "references" {
                    collect_refs(v, out);
                }
            }
        }
        J::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

/// Replaces the parts of `v` that `after_unknown` marks `true` with unknown values.
fn mark_unknown(
    v: Value,
    flag: &J,
    address: &str,
    path: &str,
    refs: Option<&Vec<String>>,
) -> Value {
    match (flag, v) {
        (J::Bool(true), _) => {
            // The configuration names what the value is built from; keep the most specific
            // references (those with an attribute), as the graph links through them.
            let derived_from = refs
                .map(|rs| {
                    let mut out: Vec<Reference> =
                        rs.iter().filter_map(|r| split_reference(r)).collect();
                    out.sort();
                    out.dedup();
                    out
                })
                .unwrap_or_default();
            // Same shapes as evaluating the configuration: the resource's own computed
            // attribute, or the one reference the value is, is a reference; anything else
            // is unknown, naming what it is built from.
            match (refs.is_none(), derived_from.as_slice()) {
                (true, _) => Value::Reference(Reference::new(address, path)),
                (false, [only]) => Value::Reference(only.clone()),
                _ => Value::Unknown(Unknown {
                    reason: format!("{address}.{path} is known only after apply"),
                    derived_from,
                    ..Unknown::default()
                }),
            }
        }
        (J::Array(flags), Value::List(items)) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, x)| match flags.get(i) {
                    Some(f) => mark_unknown(x, f, address, &format!("{path}[{i}]"), refs),
                    None => x,
                })
                .collect(),
        ),
        (J::Array(flags), Value::Null) if !flags.is_empty() => Value::List(
            flags
                .iter()
                .enumerate()
                .map(|(i, f)| mark_unknown(Value::Null, f, address, &format!("{path}[{i}]"), refs))
                .collect(),
        ),
        (J::Object(flags), Value::Map(mut m)) => {
            for (k, f) in flags {
                let x = m.remove(k).unwrap_or(Value::Null);
                m.insert(
                    k.clone(),
                    mark_unknown(x, f, address, &format!("{path}.{k}"), refs),
                );
            }
            Value::Map(m)
        }
        (_, v) => v,
    }
}

/// `aws_sns_topic.x.arn` → reference to `aws_sns_topic.x`, attribute `arn`.
fn split_reference(r: &str) -> Option<Reference> {
    let parts: Vec<&str> = r.split('.').collect();
    let (addr_len, data) = if parts.first() == Some(&"data") {
        (3, true)
    } else {
        (2, false)
    };
    let _ = data;
    let mut skip = 0;
    while parts.get(skip) == Some(&"module") {
        skip += 2;
    }
    if matches!(
        parts.get(skip),
        Some(&"var" | &"local" | &"each" | &"count" | &"path")
    ) {
        return None;
    }
    let end = skip + addr_len;
    if parts.len() <= end {
        return None;
    }
    Some(Reference::new(
        parts[..end].join("."),
        parts[end..].join("."),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            module_of("module.a[\"k\"].aws_x.y[0]", false, "aws_x"),
            "module.a[\"k\"]"
        );
        assert_eq!(module_of("aws_x.y", false, "aws_x"), "");
        assert_eq!(strip_key("aws_x.y[\"a.b\"]"), "aws_x.y");
        assert_eq!(
            strip_module_keys("module.a[\"k]\"].aws_x.y"),
            "module.a.aws_x.y"
        );
        let r = split_reference("aws_sns_topic.x.arn").unwrap();
        assert_eq!(
            (r.address.as_str(), r.attribute.as_str()),
            ("aws_sns_topic.x", "arn")
        );
        assert!(split_reference("aws_sns_topic.x").is_none());
        assert!(split_reference("var.x").is_none());
    }
}
