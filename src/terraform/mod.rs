//! Loads Terraform configurations (HCL and JSON syntax) and evaluates them to resource
//! instances whose attribute values are known, references, or unknown with a reason.
//!
//! ```no_run
//! use trailwatch::terraform::{load, LoadOptions};
//! let loaded = load(&["infra".into()], &LoadOptions::default());
//! for i in &loaded.instances {
//!     println!("{} at {}", i.address, loaded.sources.location(i.span));
//! }
//! ```

pub mod ast;
pub mod config;
pub mod eval;
pub mod functions;
pub mod hcl;
pub mod json;
pub mod plan;
pub mod source;
pub mod types;
pub mod value;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::discover::{self, FileKind, Skipped};
use ast::{Attribute, Body};
use config::Module;
use eval::{EvalDiag, Evaluator, Shared, VarInput, normalize, relative};
pub use source::{FileId, Location, OffsetMap, SourceFile, SourceMap, Span};
pub use value::{Reference, ResourceObject, Str, Unknown, Value};

/// Input variables given on the command line.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--var name=value`, in order.
    pub vars: Vec<(String, String)>,
    /// `--var-file F`, in order; applied before `vars`.
    pub var_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A problem found while loading: a file that does not parse, an expression Terraform would
/// reject, a module that cannot be found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    /// Where, if known (display path, 1-based line and column).
    pub location: Option<Location>,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    #[serde(skip)]
    pub span: Option<Span>,
}

/// The key of one instance of a resource or module with `count` or `for_each`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceKey {
    Int(i64),
    Str(String),
    /// `count`/`for_each` could not be evaluated; one instance stands for all.
    Unknown,
}

impl InstanceKey {
    /// `[0]`, `["key"]`, `[?]`
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::Int(i) => format!("[{i}]"),
            InstanceKey::Str(s) => format!("[{}]", serde_json::Value::String(s.clone())),
            InstanceKey::Unknown => "[?]".to_string(),
        }
    }
}

/// One evaluated resource (or data source) instance.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The root module directory, relative to the scanned path (`.` for the path itself).
    pub root: String,
    /// Full address: `module.cis.aws_cloudwatch_metric_alarm.this["root"]`.
    pub address: String,
    /// `module.cis` (empty in the root module).
    pub module: String,
    pub data: bool,
    pub rtype: String,
    pub name: String,
    pub key: Option<InstanceKey>,
    /// Arguments; nested blocks are lists of objects (`metric_transformation[0].name`).
    pub attributes: BTreeMap<String, Value>,
    /// Span of each attribute's value expression, by path (`metric_transformation[0].name`);
    /// nested blocks themselves are listed as `metric_transformation[0]`.
    pub attribute_spans: BTreeMap<String, Span>,
    /// The whole block.
    pub span: Span,
}

impl Instance {
    /// Output order: by root, module, resource, then instance key (numbers numerically).
    pub fn order(a: &Instance, b: &Instance) -> std::cmp::Ordering {
        (
            &a.root, &a.module, a.data, &a.rtype, &a.name, &a.key, &a.address,
        )
            .cmp(&(
                &b.root, &b.module, b.data, &b.rtype, &b.name, &b.key, &b.address,
            ))
    }

    /// The value at a path such as `metric_transformation[0].name`.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut cur: Option<&Value> = None;
        for seg in path.split('.') {
            let (name, idx) = match seg.split_once('[') {
                Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (seg, None),
            };
            cur = match cur {
                None => self.attributes.get(name),
                Some(Value::Map(m)) => m.get(name),
                _ => None,
            };
            if let Some(i) = idx {
                cur = match cur {
                    Some(Value::List(l)) => l.get(i),
                    _ => None,
                };
            }
        }
        cur
    }
}

/// Everything loaded: instances, diagnostics, and the source texts for snippets.
#[derive(Debug, Default)]
pub struct Loaded {
    pub instances: Vec<Instance>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    pub skipped: Vec<Skipped>,
    /// Root module directories found, relative to the scanned path.
    pub roots: Vec<String>,
}

enum Parsed {
    Config(Body),
    Vars(Vec<Attribute>),
}

/// A parsed file and its syntax errors (byte offset, message).
type ParseResult = (Option<Parsed>, Vec<(usize, String)>);
/// Severity, message, help, span, and a file to name when there is no span.
type RawDiag = (
    Severity,
    String,
    Option<String>,
    Option<Span>,
    Option<String>,
);

const MAX_FILE_BYTES: u64 = 16 << 20;

fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("file is larger than {} MiB", MAX_FILE_BYTES >> 20));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "file is not valid UTF-8".to_string())
}

/// Parses a file's text; errors come back as (byte offset, message).
fn parse_text(file: FileId, kind: FileKind, text: &str) -> (Option<Parsed>, Vec<(usize, String)>) {
    let mut diags = Vec::new();
    let parsed = match kind {
        FileKind::Hcl => match hcl::parse_body(file, text) {
            Ok(b) => Some(Parsed::Config(b)),
            Err(e) => {
                diags.push((e.offset, e.message));
                None
            }
        },
        FileKind::Tfvars => match hcl::parse_body(file, text) {
            Ok(b) => Some(Parsed::Vars(b.attributes)),
            Err(e) => {
                diags.push((e.offset, e.message));
                None
            }
        },
        FileKind::Json | FileKind::TfvarsJson => match json::parse(text) {
            Ok(root) => {
                let l = json::Lower { file };
                Some(if kind == FileKind::Json {
                    Parsed::Config(l.file(&root, &mut diags))
                } else {
                    Parsed::Vars(l.tfvars(&root, &mut diags))
                })
            }
            Err(e) => {
                diags.push((e.offset, format!("invalid JSON: {}", e.message)));
                None
            }
        },
    };
    (parsed, diags)
}

fn display_for(base: Option<&Path>, path: &Path) -> String {
    match base {
        Some(b) => relative(path, b),
        None => normalize(path).to_string_lossy().replace('\\', "/"),
    }
}

/// Reads a file into the shared source map (once) and returns its id and text.
pub(crate) fn read_source(shared: &Shared, path: &Path) -> Option<(FileId, String)> {
    let mut sources = shared.sources.lock().ok()?;
    if let Some(id) = sources.find(path) {
        return sources.get(id).map(|f| (id, f.text.clone()));
    }
    let text = read_text(path).ok()?;
    let display = display_for(shared.display_base.as_deref(), path);
    let id = sources.add(path.to_path_buf(), display, text.clone());
    Some((id, text))
}

/// Loads a module directory that discovery did not cover (`../modules/x`, `.terraform/modules`).
pub(crate) fn load_module_dir(shared: &Shared, dir: &Path) -> Option<Module> {
    let mut names: Vec<(String, FileKind)> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let n = e.file_name().to_str()?.to_string();
            let k = discover::classify(&n)?;
            let config = matches!(k, FileKind::Hcl | FileKind::Json);
            let overrides = n.ends_with("override.tf") || n.ends_with("override.tf.json");
            (config && !overrides && !n.starts_with('.')).then_some((n, k))
        })
        .collect();
    if names.is_empty() {
        return None;
    }
    names.sort();
    let mut module = Module::new(dir.to_path_buf());
    for (n, kind) in names {
        let path = dir.join(&n);
        let Some((file, text)) = read_source(shared, &path) else {
            continue;
        };
        let (parsed, diags) = parse_text(file, kind, &text);
        if let Ok(mut d) = shared.diags.lock() {
            for (off, msg) in diags {
                d.push(EvalDiag {
                    severity: Severity::Error,
                    message: msg,
                    help: Some("the other files are still analyzed".into()),
                    span: Some(Span::new(file, off..off)),
                });
            }
        }
        if let Some(Parsed::Config(body)) = parsed {
            module.add_file(file, body);
        }
    }
    module.finish();
    Some(module)
}

fn modules_json(root: &Path) -> HashMap<String, PathBuf> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let path = root.join(".terraform").join("modules").join("modules.json");
    let Ok(text) = read_text(&path) else {
        return HashMap::new();
    };
    match serde_json::from_str::<Manifest>(&text) {
        Ok(m) => m
            .modules
            .into_iter()
            .map(|e| (e.key, PathBuf::from(e.dir)))
            .collect(),
        Err(_) => HashMap::new(),
    }
}

/// Loads and evaluates every root module under `paths`.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Loaded {
    load_only(paths, options, |_| true)
}

/// Like [`load`], but keeps only the instances whose resource type `keep` accepts, as soon
/// as each root is evaluated: a monorepo's VPCs and buckets need not stay in memory for a
/// check that reads the monitoring resources only.
pub fn load_only(paths: &[PathBuf], options: &LoadOptions, keep: fn(&str) -> bool) -> Loaded {
    // The evaluator recurses through references; give its threads room.
    match rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build() {
        Ok(pool) => pool.install(|| load_inner(paths, options, keep)),
        Err(_) => load_inner(paths, options, keep),
    }
}

fn load_inner(paths: &[PathBuf], options: &LoadOptions, keep: fn(&str) -> bool) -> Loaded {
    let discovery = discover::discover(paths);
    let display_base = match paths {
        [p] if p.is_dir() => Some(p.clone()),
        [p] => p.parent().map(Path::to_path_buf),
        _ => None,
    };
    let files = discovery.files;

    // Parse in parallel; file ids are the sorted discovery order, so they are stable.
    let parsed: Vec<(String, Result<ParseResult, String>)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
            match read_text(&f.path) {
                Ok(text) => {
                    let r = parse_text(id, f.kind, &text);
                    (text, Ok(r))
                }
                Err(e) => (String::new(), Err(e)),
            }
        })
        .collect();

    let mut sources = SourceMap::default();
    let mut diagnostics: Vec<RawDiag> = Vec::new();
    let mut modules: BTreeMap<PathBuf, Module> = BTreeMap::new();
    let mut tfvars: BTreeMap<PathBuf, Vec<(String, Vec<Attribute>)>> = BTreeMap::new();
    for (f, (text, result)) in files.iter().zip(parsed) {
        let display = match &display_base {
            Some(_) if paths.len() == 1 && paths[0].is_dir() => f.relative.clone(),
            _ => display_for(display_base.as_deref(), &f.path),
        };
        let id = sources.add(f.path.clone(), display.clone(), text);
        let dir = normalize(f.path.parent().unwrap_or(Path::new(".")));
        match result {
            Err(e) => diagnostics.push((
                Severity::Error,
                format!("cannot read {display}: {e}"),
                None,
                None,
                Some(display),
            )),
            Ok((parsed, diags)) => {
                for (off, msg) in diags {
                    diagnostics.push((
                        Severity::Error,
                        msg,
                        Some("this file is skipped; the other files are still analyzed".into()),
                        Some(Span::new(id, off..off)),
                        None,
                    ));
                }
                match parsed {
                    Some(Parsed::Config(body)) => modules
                        .entry(dir.clone())
                        .or_insert_with(|| Module::new(dir))
                        .add_file(id, body),
                    Some(Parsed::Vars(attrs)) => {
                        let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned());
                        tfvars
                            .entry(dir)
                            .or_default()
                            .push((name.unwrap_or_default(), attrs));
                    }
                    None => {
                        // Keep the module even when its only file is broken.
                        if matches!(f.kind, FileKind::Hcl | FileKind::Json) {
                            modules
                                .entry(dir.clone())
                                .or_insert_with(|| Module::new(dir));
                        }
                    }
                }
            }
        }
    }

    // CLI var files, parsed once for every root.
    let mut cli_vars: Vec<(String, VarInput)> = Vec::new();
    for vf in &options.var_files {
        let name = vf.to_string_lossy();
        let kind = if name.ends_with(".json") {
            FileKind::TfvarsJson
        } else {
            FileKind::Tfvars
        };
        match read_text(vf) {
            Ok(text) => {
                let display = display_for(display_base.as_deref(), vf);
                let id = sources.add(vf.clone(), display.clone(), text.clone());
                let (parsed, diags) = parse_text(id, kind, &text);
                for (off, msg) in diags {
                    diagnostics.push((
                        Severity::Error,
                        msg,
                        None,
                        Some(Span::new(id, off..off)),
                        None,
                    ));
                }
                if let Some(Parsed::Vars(attrs)) = parsed {
                    cli_vars.extend(attrs.into_iter().map(|a| (a.name, VarInput::Expr(a.expr))));
                }
            }
            Err(e) => diagnostics.push((
                Severity::Error,
                format!("cannot read --var-file {}: {e}", vf.display()),
                None,
                None,
                None,
            )),
        }
    }
    cli_vars.extend(
        options
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), VarInput::Raw(v.clone()))),
    );

    for m in modules.values_mut() {
        m.finish();
    }
    // A directory called as a local module by another is not a root.
    let mut called = BTreeSet::new();
    for (dir, m) in &modules {
        for c in &m.calls {
            if let Some(s) = &c.source
                && (s.starts_with("./") || s.starts_with("../"))
            {
                let target = normalize(&dir.join(s));
                if &target != dir {
                    called.insert(target);
                }
            }
        }
    }
    let root_dirs: Vec<PathBuf> = modules
        .keys()
        .filter(|d| !called.contains(*d))
        .cloned()
        .collect();

    let scan_roots = paths
        .iter()
        .filter_map(|p| {
            let d = if p.is_dir() {
                p.clone()
            } else {
                p.parent()?.to_path_buf()
            };
            d.canonicalize().ok()
        })
        .collect();
    let shared = Shared {
        sources: Mutex::new(sources),
        modules: Mutex::new(modules.into_iter().map(|(d, m)| (d, Arc::new(m))).collect()),
        scan_roots,
        display_base: display_base.clone(),
        diags: Mutex::new(Vec::new()),
    };

    let results: Vec<(String, Vec<eval::InstanceOut>, Vec<EvalDiag>)> = root_dirs
        .par_iter()
        .filter_map(|dir| {
            let module = shared.modules.lock().ok()?.get(dir)?.clone();
            let mut vars = BTreeMap::new();
            // Terraform's precedence: terraform.tfvars, terraform.tfvars.json, then
            // *.auto.tfvars(.json) in lexical order, then the command line.
            let mut files: Vec<&(String, Vec<Attribute>)> = tfvars
                .get(dir)
                .map(|v| v.iter().collect())
                .unwrap_or_default();
            files.sort_by_key(|(n, _)| (!n.starts_with("terraform.tfvars"), n.clone()));
            for (_, attrs) in files {
                for a in attrs {
                    vars.insert(a.name.clone(), VarInput::Expr(a.expr.clone()));
                }
            }
            for (k, v) in &cli_vars {
                vars.insert(k.clone(), v.clone());
            }
            let root = display_base
                .as_deref()
                .map_or_else(|| display_for(None, dir), |b| relative(dir, b));
            let ev = Evaluator::new(&shared, module, vars, modules_json(dir));
            let (mut inst, diags) = ev.run();
            inst.retain(|i| keep(&i.rtype));
            // No module calls a root, so its syntax tree is done with: free it now rather
            // than when every root is evaluated (the trees are ~11× the source size).
            if let Ok(mut modules) = shared.modules.lock() {
                modules.remove(dir);
            }
            Some((root, inst, diags))
        })
        .collect();

    let Shared {
        sources,
        diags: extra,
        ..
    } = shared;
    let sources = sources.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut instances = Vec::new();
    let mut roots = Vec::new();
    for (root, insts, diags) in results {
        for d in diags {
            diagnostics.push((d.severity, d.message, d.help, d.span, None));
        }
        for i in insts {
            instances.push(Instance {
                root: root.clone(),
                address: i.address,
                module: i.module,
                data: i.data,
                rtype: i.rtype,
                name: i.name,
                key: i.key,
                attributes: i.attributes,
                attribute_spans: i.spans,
                span: i.span,
            });
        }
        roots.push(root);
    }
    for d in extra.into_inner().unwrap_or_else(|p| p.into_inner()) {
        diagnostics.push((d.severity, d.message, d.help, d.span, None));
    }
    instances.sort_by(Instance::order);
    roots.sort();

    let mut diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .map(|(severity, message, help, span, file)| Diagnostic {
            location: span.map(|s| sources.location(s)).or(file.map(|f| Location {
                file: f,
                line: 0,
                column: 0,
            })),
            severity,
            message,
            help,
            span,
        })
        .collect();
    diagnostics.sort_by(|a, b| {
        (&a.location, a.severity, &a.message).cmp(&(&b.location, b.severity, &b.message))
    });
    diagnostics.dedup_by(|a, b| a.location == b.location && a.message == b.message);

    Loaded {
        instances,
        diagnostics,
        sources,
        skipped: discovery.skipped,
        roots,
    }
}
