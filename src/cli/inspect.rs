//! `trailwatch inspect`: shows the evaluated resource instances the analyzer sees.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::{Value as J, json};

use trailwatch::report::printable;
use trailwatch::terraform::eval::relative;
use trailwatch::terraform::plan::load_plan;
use trailwatch::terraform::{Instance, LoadOptions, Loaded, Severity, Value, load};

/// Resource types on the monitoring chain.
pub const MONITORING_TYPES: &[&str] = &[
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_cloudwatch_log_metric_filter",
    "aws_cloudwatch_metric_alarm",
    "aws_sns_topic",
    "aws_sns_topic_subscription",
    "aws_sns_topic_policy",
    "aws_kms_key",
    "aws_kms_alias",
];

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Args)]
pub struct InspectArgs {
    /// Directory (or file) to load; defaults to the current directory.
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Set a root input variable, as `terraform plan -var` does.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read variable values from a .tfvars or .tfvars.json file.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// The Terraform workspace `terraform.workspace` names (default: `TF_WORKSPACE`, or each
    /// root's selected workspace).
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
    /// Load a plan (`terraform show -json` output) instead of evaluating the configuration;
    /// PATH (default: the plan's directory) is used to find source locations.
    #[arg(long, value_name = "PLAN_JSON")]
    pub plan: Option<PathBuf>,
    /// Show every resource, not only those on the monitoring chain.
    #[arg(long)]
    pub all: bool,
    /// Also list the files that were skipped, and why.
    #[arg(short, long)]
    pub verbose: bool,
}

pub fn run(args: InspectArgs, matches: Option<&clap::ArgMatches>) -> u8 {
    let root = args.path.clone().unwrap_or_else(|| match &args.plan {
        Some(p) => p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from),
        None => PathBuf::from("."),
    });
    if !root.exists() {
        eprintln!(
            "error: {} does not exist",
            printable(&root.display().to_string())
        );
        return 2;
    }
    let options = match super::vars::ordered(matches, &args.vars, &args.var_files) {
        Ok(vars) => LoadOptions {
            vars,
            workspace: super::vars::workspace(args.workspace.as_deref(), None),
        },
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let loaded = match &args.plan {
        Some(plan) => load_plan(plan, Some(&root), &options),
        None => load(std::slice::from_ref(&root), &options),
    };
    let shown: Vec<&Instance> = loaded
        .instances
        .iter()
        .filter(|i| args.all || MONITORING_TYPES.contains(&i.rtype.as_str()))
        .collect();
    let base = if root.is_dir() {
        root.clone()
    } else {
        root.parent().map(PathBuf::from).unwrap_or_default()
    };
    match args.format {
        Format::Json => {
            let out = to_json(&loaded, &shown, &base);
            match serde_json::to_string_pretty(&out) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            }
        }
        Format::Human => print_human(&loaded, &shown, &base, args.verbose),
    }
    0
}

/// Every leaf value with its path; nested blocks are walked into.
fn leaves(i: &Instance) -> Vec<(String, &Value)> {
    fn walk<'a>(i: &Instance, path: String, v: &'a Value, out: &mut Vec<(String, &'a Value)>) {
        if let Value::List(items) = v {
            let is_block = i.attribute_spans.contains_key(&format!("{path}[0]"))
                && items.iter().all(|x| matches!(x, Value::Map(_)));
            if is_block {
                for (n, item) in items.iter().enumerate() {
                    if let Value::Map(m) = item {
                        for (k, v) in m {
                            walk(i, format!("{path}[{n}].{k}"), v, out);
                        }
                    }
                }
                return;
            }
        }
        out.push((path, v));
    }
    let mut out = Vec::new();
    for (k, v) in &i.attributes {
        walk(i, k.clone(), v, &mut out);
    }
    out
}

/// References and unknowns inside a value, with their paths.
fn findings(
    path: &str,
    v: &Value,
    refs: &mut Vec<(String, String)>,
    unk: &mut Vec<(String, String)>,
) {
    match v {
        Value::Reference(r) => refs.push((path.to_string(), r.to_string())),
        Value::Unknown(u) => {
            unk.push((path.to_string(), u.reason.clone()));
            for r in &u.derived_from {
                refs.push((path.to_string(), r.to_string()));
            }
        }
        Value::List(l) => {
            for (n, x) in l.iter().enumerate() {
                findings(&format!("{path}[{n}]"), x, refs, unk);
            }
        }
        Value::Map(m) => {
            for (k, x) in m {
                findings(&format!("{path}.{k}"), x, refs, unk);
            }
        }
        _ => {}
    }
}

/// The loaded instances by root and address, to resolve references in one lookup per
/// prefix (a scan of every instance per reference is quadratic on a large plan).
struct ByAddress<'a>(HashMap<(&'a str, &'a str), &'a Instance>);

impl<'a> ByAddress<'a> {
    fn new(loaded: &'a Loaded) -> Self {
        ByAddress(
            loaded
                .instances
                .iter()
                .map(|i| ((i.root.as_str(), i.address.as_str()), i))
                .collect(),
        )
    }

    /// The instance a reference names (its longest address prefix followed by `.`).
    fn resolve(&self, from: &Instance, reference: &str) -> Option<&'a Instance> {
        reference
            .rmatch_indices('.')
            .find_map(|(at, _)| self.0.get(&(from.root.as_str(), &reference[..at])))
            .copied()
    }
}

fn to_json(loaded: &Loaded, shown: &[&Instance], base: &std::path::Path) -> J {
    let index = ByAddress::new(loaded);
    let instances: Vec<J> = shown
        .iter()
        .map(|i| {
            let mut refs = Vec::new();
            let mut unk = Vec::new();
            for (k, v) in &i.attributes {
                findings(k, v, &mut refs, &mut unk);
            }
            let locations: BTreeMap<String, String> = i
                .attribute_spans
                .iter()
                .map(|(k, s)| (k.clone(), loaded.sources.location(*s).to_string()))
                .collect();
            json!({
                "address": i.address,
                "root": i.root,
                "module": i.module,
                "mode": if i.data { "data" } else { "managed" },
                "type": i.rtype,
                "name": i.name,
                "index_key": match &i.key {
                    None => J::Null,
                    Some(trailwatch::terraform::InstanceKey::Int(n)) => json!(n),
                    Some(trailwatch::terraform::InstanceKey::Str(s)) => json!(s),
                    Some(trailwatch::terraform::InstanceKey::Unknown) => json!({"unknown": true}),
                },
                "location": loaded.sources.location(i.span).to_string(),
                "attributes": J::Object(i.attributes.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
                "attribute_locations": locations,
                "references": refs.iter().map(|(path, r)| json!({
                    "attribute": path,
                    "reference": r,
                    "resolves_to": index.resolve(i, r).map(|t| t.address.clone()),
                })).collect::<Vec<_>>(),
                "unknowns": unk.iter().map(|(path, reason)| json!({
                    "attribute": path,
                    "reason": reason,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "roots": loaded.roots,
        "instances": instances,
        "diagnostics": loaded.diagnostics.iter().map(|d| json!({
            "location": d.location.as_ref().map(ToString::to_string),
            "severity": d.severity,
            "message": d.message,
            "help": d.help,
        })).collect::<Vec<_>>(),
        "skipped": loaded.skipped.iter().map(|s| json!({
            "path": relative(&s.path, base),
            "reason": s.reason,
        })).collect::<Vec<_>>(),
    })
}

fn print_human(loaded: &Loaded, shown: &[&Instance], base: &std::path::Path, verbose: bool) {
    let index = ByAddress::new(loaded);
    let mut first = true;
    for i in shown {
        if !first {
            println!();
        }
        first = false;
        let root = if i.root == "." {
            String::new()
        } else {
            format!("[{}] ", i.root)
        };
        println!(
            "{}",
            printable(&format!(
                "{root}{}  ({})",
                i.address,
                loaded.sources.location(i.span)
            ))
        );
        for (path, v) in leaves(i) {
            let loc = i
                .attribute_spans
                .get(&path)
                .map(|s| format!("  ({})", loaded.sources.location(*s)))
                .unwrap_or_default();
            let mut refs = Vec::new();
            let mut unk = Vec::new();
            findings(&path, v, &mut refs, &mut unk);
            let resolved: Vec<String> = refs
                .iter()
                .map(|(_, r)| match index.resolve(i, r) {
                    Some(t) => format!("{r} → {}", t.address),
                    None => format!("{r} → not in this configuration"),
                })
                .collect();
            let note = if resolved.is_empty() {
                String::new()
            } else {
                format!("  [{}]", resolved.join("; "))
            };
            println!(
                "{}",
                printable(&format!("  {path} = {}{loc}{note}", v.render()))
            );
        }
    }
    if shown.is_empty() {
        println!("no monitoring resources found (use --all to list every resource)");
    }
    for d in &loaded.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let at = d
            .location
            .as_ref()
            .map(|l| format!("{l}: "))
            .unwrap_or_default();
        eprintln!("{}", printable(&format!("{level}: {at}{}", d.message)));
        if let Some(h) = &d.help {
            eprintln!("  help: {}", printable(h));
        }
    }
    if verbose {
        for s in &loaded.skipped {
            eprintln!(
                "{}",
                printable(&format!(
                    "skipped {}: {}",
                    relative(&s.path, base),
                    s.reason
                ))
            );
        }
    }
}
