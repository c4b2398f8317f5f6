//! `terraform show -json` plan files: `planned_values` become fully known instances,
//! unknown-after-apply values become unknown (with the references the configuration section
//! names), and instances are mapped back to `.tf` locations when the configuration is present.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value as J;

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

    let text = match std::fs::read_to_string(plan) {
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
    let file = loaded
        .sources
        .add(PathBuf::from(plan), display, text.clone());
    let doc: J = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => {
            let loc = Location {
                file: loaded
                    .sources
                    .get(file)
                    .map(|f| f.display.clone())
                    .unwrap_or_default(),
                line: e.line(),
                column: e.column(),
            };
            loaded
                .diagnostics
                .push(diag(Some(loc), format!("invalid plan JSON: {e}")));
            return loaded;
        }
    };

    // `terraform show -json` writes an object with `format_version` "1.x" (0.x before
    // Terraform 1.0); anything else is not a plan this loader understands.
    let version = doc.get("format_version").and_then(J::as_str);
    let plan_file = loaded
        .sources
        .get(file)
        .map(|f| f.display.clone())
        .unwrap_or_default();
    let problem = match version {
        _ if !doc.is_object() => {
            Some("is not a `terraform show -json` plan (not a JSON object)".to_string())
        }
        None => {
            Some("has no `format_version`: is it the output of `terraform show -json`?".to_string())
        }
        Some(v) if !(v.starts_with("1.") || v.starts_with("0.")) => Some(format!(
            "has format_version {v:?}, which trailwatch does not know (it reads 0.x and 1.x)"
        )),
        _ => None,
    };
    if let Some(problem) = problem {
        loaded.diagnostics.push(diag(
            Some(Location {
                file: plan_file.clone(),
                line: 1,
                column: 1,
            }),
            format!("plan {plan_file} {problem}"),
        ));
        return loaded;
    }
    if doc.get("planned_values").is_none() {
        loaded.diagnostics.push(diag(
            Some(Location { file: plan_file.clone(), line: 1, column: 1 }),
            format!("plan {plan_file} has no `planned_values`: write it with `terraform show -json PLANFILE`"),
        ));
        return loaded;
    }

    let unknown: HashMap<&str, &J> = doc
        .get("resource_changes")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            Some((
                c.get("address")?.as_str()?,
                c.get("change")?.get("after_unknown")?,
            ))
        })
        .collect();
    let mut refs = BTreeMap::new();
    if let Some(root) = doc.pointer("/configuration/root_module") {
        config_refs(root, "", &BTreeMap::new(), &mut refs);
    }

    let mut out = Vec::new();
    if let Some(root) = doc.pointer("/planned_values/root_module") {
        walk_module(root, &mut out);
    }
    let mut instances = Vec::new();
    for r in out {
        let Some(address) = r.get("address").and_then(J::as_str) else {
            continue;
        };
        let (Some(rtype), Some(name)) = (
            r.get("type").and_then(J::as_str),
            r.get("name").and_then(J::as_str),
        ) else {
            continue;
        };
        let data = r.get("mode").and_then(J::as_str) == Some("data");
        let key = match r.get("index") {
            Some(J::Number(n)) => n.as_i64().map(InstanceKey::Int),
            Some(J::String(s)) => Some(InstanceKey::Str(s.clone())),
            _ => None,
        };
        let module = module_of(address, data, rtype);
        let config_address = strip_key(address);
        let conf_refs = refs.get(&strip_module_keys(&config_address));
        let mut attributes: BTreeMap<String, Value> = r
            .get("values")
            .and_then(J::as_object)
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
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
                let at = text.find(&needle).unwrap_or(0);
                (Span::new(file, at..at + needle.len()), BTreeMap::new())
            }
        };
        instances.push(Instance {
            root: ".".into(),
            address: address.to_string(),
            module,
            data,
            rtype: rtype.to_string(),
            name: name.to_string(),
            key,
            attributes,
            attribute_spans,
            span,
        });
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

fn walk_module<'a>(m: &'a J, out: &mut Vec<&'a J>) {
    if let Some(rs) = m.get("resources").and_then(J::as_array) {
        out.extend(rs);
    }
    if let Some(cs) = m.get("child_modules").and_then(J::as_array) {
        for c in cs {
            walk_module(c, out);
        }
    }
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
                (true, _) => Value::Reference(Reference {
                    address: address.to_string(),
                    attribute: path.to_string(),
                }),
                (false, [only]) => Value::Reference(only.clone()),
                _ => Value::Unknown(Unknown {
                    reason: format!("{address}.{path} is known only after apply"),
                    derived_from,
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
    Some(Reference {
        address: parts[..end].join("."),
        attribute: parts[end..].join("."),
    })
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
