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
pub mod order;
pub mod plan;
pub mod provider;
pub mod schema;
pub mod source;
pub mod types;
pub mod value;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::discover::read::Origin;
use crate::discover::{self, FileKind, Skipped};
use ast::{Attribute, Body};
use config::Module;
use eval::{EvalDiag, Evaluator, Shared, VarInput, normalize, relative};
pub use source::{FileId, Location, OffsetMap, SourceFile, SourceMap, Span};
pub use value::{Reference, ResourceObject, Str, Unknown, Value};

/// Input variables given on the command line, and the workspace.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--var` and `--var-file`, in command-line order: as in Terraform, a later one wins.
    pub vars: Vec<VarArg>,
    /// The workspace `terraform.workspace` names (`--workspace`, `TF_WORKSPACE`, or the
    /// configuration file). Without one, each root's selected workspace
    /// (`.terraform/environment`, written by `terraform workspace select`), else `default`.
    pub workspace: Option<String>,
}

/// One `--var` or `--var-file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarArg {
    /// `--var name=value`
    Value(String, String),
    /// `--var-file F`
    File(PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// What kind of problem a diagnostic is, which decides the rule it is reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum DiagKind {
    /// A file that cannot be read or parsed, a module that cannot be loaded
    /// (`terraform-syntax`).
    #[default]
    Syntax,
    /// An expression Terraform would refuse: an undeclared reference, an attribute of a
    /// list (`terraform-expression`).
    Expression,
    /// A name declared twice in one module (`terraform-duplicate`).
    Duplicate,
}

impl DiagKind {
    /// The rule id findings of this kind are reported under.
    pub fn rule(self) -> &'static str {
        match self {
            DiagKind::Syntax => "terraform-syntax",
            DiagKind::Expression => "terraform-expression",
            DiagKind::Duplicate => "terraform-duplicate",
        }
    }
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
    #[serde(skip)]
    pub kind: DiagKind,
    /// Another place involved (the first of two definitions), and what it is.
    #[serde(skip)]
    pub related: Option<(Span, String)>,
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
type ParsedFile = (Option<Parsed>, Vec<(usize, String)>);

/// A diagnostic, and a file to name when it has no span.
type RawDiag = (EvalDiag, Option<String>);

/// A load problem of kind `terraform-syntax`.
fn load_diag(message: String, help: Option<String>, span: Option<Span>) -> EvalDiag {
    EvalDiag {
        severity: Severity::Error,
        message,
        help,
        span,
        kind: DiagKind::Syntax,
        related: None,
    }
}

/// Reads a Terraform, tfvars or manifest file, bounded (see [`discover::read`]).
fn read_text(path: &Path, origin: Origin) -> Result<String, String> {
    discover::read::read_text(path, origin, discover::read::MAX_FILE_BYTES)
}

/// Parses a file's text; errors come back as (byte offset, message).
fn parse_text(file: FileId, kind: FileKind, text: &str) -> ParsedFile {
    let mut diags = Vec::new();
    let parsed = match kind {
        FileKind::Hcl => match hcl::parse_body(file, text) {
            Ok(b) => Some(Parsed::Config(b)),
            Err(e) => {
                let message = match quoted_block_type(text, e.offset) {
                    Some(name) => format!(
                        "{}: `\"{name}\" {{` is Terraform 0.11 syntax; since 0.12 a block type is written without quotes: `{name} {{`",
                        e.message
                    ),
                    None => e.message,
                };
                diags.push((e.offset, message));
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

/// The block type at `offset` when it is quoted (`"metric_transformation" {`), which
/// Terraform 0.11 accepted and 0.12 refuses.
fn quoted_block_type(text: &str, offset: usize) -> Option<&str> {
    let rest = text.get(offset..)?.strip_prefix('"')?;
    let (name, after) = rest.split_once('"')?;
    let is_ident = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (is_ident && after.trim_start_matches([' ', '\t']).starts_with('{')).then_some(name)
}

fn display_for(base: Option<&Path>, path: &Path) -> String {
    match base {
        Some(b) => relative(path, b),
        None => normalize(path).to_string_lossy().replace('\\', "/"),
    }
}

/// Reads a file of the tree into the shared source map (once) and returns its id and
/// text, or why it cannot be read.
pub(crate) fn read_source(shared: &Shared, path: &Path) -> Result<(FileId, Arc<str>), String> {
    let poisoned = || "internal error: the source map is poisoned".to_string();
    let mut sources = shared.sources.lock().map_err(|_| poisoned())?;
    if let Some(id) = sources.find(path) {
        return sources
            .get(id)
            .map(|f| (id, f.text.clone()))
            .ok_or_else(poisoned);
    }
    if !discover::read::within(path, &repositories(shared)) {
        return Err("the file is outside the repository; trailwatch reads only inside it".into());
    }
    let text: Arc<str> = read_text(path, Origin::Tree)?.into();
    let display = display_for(shared.display_base.as_deref(), path);
    let id = sources.add(path.to_path_buf(), display, text.clone());
    Ok((id, text))
}

/// The repositories holding the scanned paths: files named by the configuration (module
/// directories, `file()`, `modules.json` entries) must resolve inside one.
fn repositories(shared: &Shared) -> Vec<PathBuf> {
    shared
        .scan_roots
        .iter()
        .filter_map(|r| discover::read::repository_root(r))
        .collect()
}

/// Records a file or module directory that is not analysed, as a `file-skipped` finding.
fn skip(shared: &Shared, skipped: Skipped) {
    if let Ok(mut sources) = shared.sources.lock() {
        sources.skip(skipped);
    }
}

/// The module in `dir`, from the cache or parsed now; `cache` keeps it for later callers.
///
/// A discovered directory is built from exactly its discovered files, whichever thread gets
/// there first, so the module does not depend on timing; any other directory
/// (`../modules/x` outside the scan, `.terraform/modules`) is listed from disk.
pub(crate) fn module_dir(shared: &Shared, dir: &Path, cache: bool) -> Option<Arc<Module>> {
    if let Some(m) = shared.modules.lock().ok()?.get(dir) {
        return Some(m.clone());
    }
    let files: Vec<ModuleFile> = match shared.discovered.get(dir) {
        Some(files) => {
            let sources = shared.sources.lock().ok()?;
            files
                .iter()
                .filter_map(|&(id, kind)| {
                    let file = sources.get(id)?;
                    let name = file.path.file_name()?.to_str()?;
                    Some(ModuleFile {
                        id,
                        kind,
                        text: file.text.clone(),
                        is_override: is_override(name),
                    })
                })
                .collect()
        }
        None => undiscovered_config_files(shared, dir)?,
    };
    // In parallel too: one directory may hold most of a repository.
    let parsed: Vec<(FileId, ParsedFile, bool)> = files
        .par_iter()
        .map(|f| (f.id, parse_text(f.id, f.kind, &f.text), f.is_override))
        .collect();
    let mut module = Module::new(dir.to_path_buf());
    let mut diags = Vec::new();
    let mut overrides = Vec::new();
    for (file, (parsed, errors), over) in parsed {
        diags.extend(syntax_errors(file, errors));
        match parsed {
            Some(Parsed::Config(body)) if over => overrides.push(body),
            Some(Parsed::Config(body)) => {
                // A block's first line is enough to point at it.
                let head = |span: Span| {
                    let text = files.iter().find(|f| f.id == span.file).map(|f| &f.text);
                    let block = text.and_then(|t| t.get(span.range())).unwrap_or("");
                    let start = span.range().start;
                    Span::new(
                        span.file,
                        start..start + block.find('\n').unwrap_or(block.len()),
                    )
                };
                diags.extend(module.add_file(file, body).into_iter().map(|d| EvalDiag {
                    severity: Severity::Error,
                    message: format!("{} is declared twice in this module: Terraform refuses it", d.what),
                    help: Some("rename or remove one of the two (override files, `override.tf` and `*_override.tf`, are the way to change a block)".into()),
                    span: Some(head(d.span)),
                    kind: DiagKind::Duplicate,
                    related: Some((head(d.first), "first declared here".into())),
                }));
            }
            _ => {}
        }
        if over {
            module.files.push(file);
        }
    }
    // Terraform merges override files last, in name order (the files are sorted by name).
    for body in overrides {
        diags.extend(
            module
                .add_override(body)
                .into_iter()
                .map(|(span, message)| {
                    load_diag(
                        message,
                        Some("declare the block in a normal file, or remove the override".into()),
                        Some(span),
                    )
                }),
        );
    }
    module.finish();
    if let Ok(mut d) = shared.diags.lock() {
        d.extend(diags);
    }
    let module = Arc::new(module);
    if cache && let Ok(mut modules) = shared.modules.lock() {
        return Some(modules.entry(dir.to_path_buf()).or_insert(module).clone());
    }
    Some(module)
}

/// A file's syntax errors as diagnostics.
fn syntax_errors(file: FileId, errors: Vec<(usize, String)>) -> impl Iterator<Item = EvalDiag> {
    errors.into_iter().map(move |(off, message)| {
        load_diag(
            message,
            Some("this file is skipped; the other files are still analyzed".into()),
            Some(Span::new(file, off..off)),
        )
    })
}

/// One configuration file of a module directory, read.
struct ModuleFile {
    id: FileId,
    kind: FileKind,
    text: Arc<str>,
    is_override: bool,
}

/// `override.tf`, `x_override.tf` and their `.tf.json` forms.
fn is_override(name: &str) -> bool {
    let stem = name
        .strip_suffix(".tf.json")
        .or_else(|| name.strip_suffix(".tf"))
        .unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

/// The configuration files of a directory discovery did not cover, sorted by name. A
/// directory that resolves (symbolic links included) outside the repository is refused;
/// so is each file that cannot be read; both are recorded as skipped.
fn undiscovered_config_files(shared: &Shared, dir: &Path) -> Option<Vec<ModuleFile>> {
    if !dir.exists() {
        return None;
    }
    if !discover::read::within(dir, &repositories(shared)) {
        skip(
            shared,
            Skipped::reported(
                dir,
                "module directory outside the repository: trailwatch reads only inside it",
            ),
        );
        return None;
    }
    let (names, skipped) = discover::module_files(dir);
    for s in skipped {
        skip(shared, s);
    }
    if names.is_empty() {
        return None;
    }
    Some(
        names
            .into_iter()
            .filter_map(|(n, kind)| {
                let path = dir.join(&n);
                let (id, text) = read_source(shared, &path)
                    .map_err(|why| skip(shared, Skipped::reported(&path, why)))
                    .ok()?;
                Some(ModuleFile {
                    id,
                    kind,
                    text,
                    is_override: is_override(&n),
                })
            })
            .collect(),
    )
}

/// Local module sources (`"./x"`, `"../x"`) mentioned in a file, found by a byte scan
/// before parsing. It only decides which directories are kept parsed for their callers
/// and evaluated last; a source it misses costs a second parse, never a wrong result.
fn likely_local_sources(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("source").filter_map(move |(i, _)| {
        let rest = text.get(i + "source".len()..)?;
        let rest = rest
            .strip_prefix('"')
            .unwrap_or(rest)
            .trim_start_matches([' ', '\t']);
        let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
        let rest = rest.trim_start_matches([' ', '\t']).strip_prefix('"')?;
        if !config::is_local_source(rest) {
            return None;
        }
        rest.get(..rest.find('"')?)
    })
}

/// The registry modules `terraform init` downloaded for the root module in `root`.
fn modules_json(shared: &Shared, root: &Path) -> HashMap<String, PathBuf> {
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
    if std::fs::symlink_metadata(&path).is_err() {
        return HashMap::new();
    }
    // A committed manifest may be a link to anything, or anything at all: it is read only
    // inside the repository, and one that cannot be used is reported (the directories it
    // names are checked where they are loaded).
    let text = if discover::read::within(&path, &repositories(shared)) {
        read_text(&path, Origin::Tree)
    } else {
        Err("outside the repository: trailwatch reads only inside it".to_string())
    };
    let manifest = text.and_then(|text| {
        serde_json::from_str::<Manifest>(&text)
            .map_err(|e| format!("not a Terraform module manifest: {e}"))
    });
    match manifest {
        Ok(m) => m
            .modules
            .into_iter()
            .map(|e| (e.key, PathBuf::from(e.dir)))
            .collect(),
        Err(why) => {
            skip(shared, Skipped::reported(&path, why));
            HashMap::new()
        }
    }
}

/// The workspace `terraform workspace select` chose for a root (`.terraform/environment`),
/// or `default`, as Terraform decides when `TF_WORKSPACE` is not set. A committed file may
/// link anywhere: one outside the repository, or not readable, is reported and not read.
fn selected_workspace(shared: &Shared, root: &Path) -> String {
    let path = root.join(".terraform").join("environment");
    if std::fs::symlink_metadata(&path).is_err() {
        return "default".into();
    }
    let text = if discover::read::within(&path, &repositories(shared)) {
        read_text(&path, Origin::Tree)
    } else {
        Err("outside the repository: trailwatch reads only inside it".to_string())
    };
    match text {
        Ok(text) => Some(text.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "default".into()),
        Err(why) => {
            skip(shared, Skipped::reported(&path, why));
            "default".into()
        }
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
    with_stack(|| load_inner(paths, options, keep))
}

/// Stack of the threads that load, evaluate and check. The evaluator stops at
/// [`eval::MAX_NESTING`] levels, at most about 13 KB each in a debug build (a chain of
/// locals; measured) and less in release: 26 MB, so this is a second line of defence with
/// room to spare. Untouched stack costs address space only.
pub const STACK_SIZE: usize = 128 << 20;

thread_local! {
    static BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` on a thread pool whose threads have a [`STACK_SIZE`] stack (at once when already
/// on one), so that evaluation and everything that walks its values has room.
pub fn with_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if BIG_STACK.with(std::cell::Cell::get) {
        return f();
    }
    match rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .start_handler(|_| BIG_STACK.with(|b| b.set(true)))
        .build()
    {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

/// The files of one directory, by kind.
#[derive(Default)]
struct DirFiles {
    config: Vec<(FileId, FileKind)>,
    /// `.tfvars` files: name, id, kind.
    vars: Vec<(String, FileId, FileKind)>,
}

/// A directory after the first pass: where its local module calls go, its `.tfvars`, and
/// its evaluation as a root if it was evaluated then.
struct DirPass {
    dir: PathBuf,
    has_config: bool,
    calls: Vec<PathBuf>,
    tfvars: Vec<(String, Vec<Attribute>)>,
    evaluated: Option<RootResult>,
}

type RootResult = (String, Vec<eval::InstanceOut>, Vec<EvalDiag>);

fn load_inner(paths: &[PathBuf], options: &LoadOptions, keep: fn(&str) -> bool) -> Loaded {
    let discovery = discover::discover(paths);
    let display_base = match paths {
        [p] if p.is_dir() => Some(p.clone()),
        [p] => p.parent().map(Path::to_path_buf),
        _ => None,
    };
    let files = discovery.files;

    // Read in parallel; file ids are the sorted discovery order, so they are stable.
    let texts: Vec<Result<Arc<str>, String>> = files
        .par_iter()
        .map(|f| read_text(&f.path, Origin::Tree).map(Arc::from))
        .collect();

    let mut sources = SourceMap::default();
    let mut unread = Vec::new();
    let mut diagnostics: Vec<RawDiag> = Vec::new();
    let mut dirs: BTreeMap<PathBuf, DirFiles> = BTreeMap::new();
    for (f, text) in files.iter().zip(texts) {
        let display = match &display_base {
            Some(_) if paths.len() == 1 && paths[0].is_dir() => f.relative.clone(),
            _ => display_for(display_base.as_deref(), &f.path),
        };
        let dir = normalize(f.path.parent().unwrap_or(Path::new(".")));
        let text = match text {
            Ok(text) => text,
            // Terraform refuses a file that is not UTF-8 too: a syntax error. Any other
            // reason (permissions, size) is trailwatch's: the file is skipped, with it.
            Err(e) if e == discover::read::NOT_UTF8 => {
                sources.add(f.path.clone(), display.clone(), "");
                diagnostics.push((
                    load_diag(format!("cannot read {display}: {e}"), None, None),
                    Some(display),
                ));
                continue;
            }
            Err(e) => {
                unread.push(Skipped::reported(&f.path, format!("cannot be read: {e}")));
                continue;
            }
        };
        let id = sources.add(f.path.clone(), display, text);
        let entry = dirs.entry(dir).or_default();
        match f.kind {
            FileKind::Hcl | FileKind::Json => entry.config.push((id, f.kind)),
            FileKind::Tfvars | FileKind::TfvarsJson => {
                let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned());
                entry.vars.push((name.unwrap_or_default(), id, f.kind));
            }
        }
    }

    // Directories some file names as a local module source: parsed and kept for their
    // callers, and evaluated as roots only once every call is known. Every other
    // directory is evaluated as soon as it is parsed and its syntax tree freed, so the
    // trees of a whole monorepo are never in memory at once.
    let likely_modules: BTreeSet<PathBuf> = dirs
        .par_iter()
        .flat_map_iter(|(dir, d)| {
            d.config
                .iter()
                .filter_map(|(id, _)| sources.get(*id))
                .flat_map(|f| {
                    likely_local_sources(&f.text)
                        .map(|s| normalize(&dir.join(s)))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
        .collect();

    let cli_vars = command_line_vars(
        options,
        display_base.as_deref(),
        &mut sources,
        &mut diagnostics,
    );

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
    let discovered = dirs
        .iter()
        .filter(|(_, d)| !d.config.is_empty())
        .map(|(dir, d)| (dir.clone(), d.config.clone()))
        .collect();
    let shared = Shared {
        sources: Mutex::new(sources),
        modules: Mutex::new(HashMap::new()),
        discovered,
        scan_roots,
        display_base: display_base.clone(),
        diags: Mutex::new(Vec::new()),
    };
    let root_name = |dir: &Path| {
        display_base
            .as_deref()
            .map_or_else(|| display_for(None, dir), |b| relative(dir, b))
    };
    let evaluate = |module: Arc<Module>, tfvars: &[(String, Vec<Attribute>)]| -> RootResult {
        let dir = module.dir.clone();
        let vars = root_vars(tfvars, &cli_vars);
        let workspace = options
            .workspace
            .clone()
            .unwrap_or_else(|| selected_workspace(&shared, &dir));
        let ev = Evaluator::new(&shared, module, vars, modules_json(&shared, &dir))
            .with_workspace(workspace);
        let (mut inst, diags) = ev.run();
        inst.retain(|i| keep(&i.rtype));
        (root_name(&dir), inst, diags)
    };

    let passes: Vec<DirPass> = dirs
        .par_iter()
        .map(|(dir, d)| {
            let tfvars = parse_tfvars(&shared, &d.vars);
            let likely = likely_modules.contains(dir);
            let module = if d.config.is_empty() {
                None
            } else {
                module_dir(&shared, dir, likely)
            };
            let calls = module.as_deref().map(local_calls).unwrap_or_default();
            let evaluated = match module {
                Some(m) if !likely => Some(evaluate(m, &tfvars)),
                _ => None,
            };
            DirPass {
                dir: dir.clone(),
                has_config: !d.config.is_empty(),
                calls,
                tfvars,
                evaluated,
            }
        })
        .collect();

    // A directory called as a local module by another is not a root.
    let called: BTreeSet<PathBuf> = passes
        .iter()
        .flat_map(|p| p.calls.iter().filter(|c| **c != p.dir).cloned())
        .collect();
    let results: Vec<RootResult> = passes
        .into_par_iter()
        .filter(|p| p.has_config && !called.contains(&p.dir))
        .filter_map(|p| match p.evaluated {
            Some(r) => Some(r),
            None => Some(evaluate(module_dir(&shared, &p.dir, true)?, &p.tfvars)),
        })
        .collect();

    let Shared {
        sources,
        diags: extra,
        ..
    } = shared;
    let mut sources = sources.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut skipped = discovery.skipped;
    skipped.extend(unread);
    skipped.extend(sources.take_skipped());
    skipped.sort();
    skipped.dedup();
    let read = sources
        .files()
        .map(|(_, f)| f.path.canonicalize().unwrap_or_else(|_| f.path.clone()))
        .collect();
    let skipped =
        discover::still_skipped(skipped, &read, |p| display_for(display_base.as_deref(), p));
    let mut instances = Vec::new();
    let mut roots = Vec::new();
    for (root, insts, diags) in results {
        diagnostics.extend(diags.into_iter().map(|d| (d, None)));
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
        diagnostics.push((d, None));
    }
    instances.sort_by(Instance::order);
    roots.sort();

    let mut diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .map(|(d, file)| Diagnostic {
            location: d
                .span
                .map(|s| sources.location(s))
                .or(file.map(|f| Location {
                    file: f,
                    line: 0,
                    column: 0,
                })),
            severity: d.severity,
            message: d.message,
            help: d.help,
            span: d.span,
            kind: d.kind,
            related: d.related,
        })
        .collect();
    // A module parsed by two threads at once reports its syntax errors twice.
    diagnostics.sort_by(|a, b| {
        (&a.location, a.severity, &a.message, &a.help).cmp(&(
            &b.location,
            b.severity,
            &b.message,
            &b.help,
        ))
    });
    diagnostics.dedup_by(|a, b| a.location == b.location && a.message == b.message);

    Loaded {
        instances,
        diagnostics,
        sources,
        skipped,
        roots,
    }
}

/// Where a module's local calls (`./x`, `../x`) go.
fn local_calls(module: &Module) -> Vec<PathBuf> {
    module
        .calls
        .iter()
        .filter_map(|c| c.source.as_deref())
        .filter(|s| config::is_local_source(s))
        .map(|s| normalize(&module.dir.join(s)))
        .collect()
}

/// Parses a directory's `.tfvars` files, reporting their syntax errors.
fn parse_tfvars(
    shared: &Shared,
    files: &[(String, FileId, FileKind)],
) -> Vec<(String, Vec<Attribute>)> {
    let texts: Vec<(String, FileId, FileKind, Arc<str>)> = match shared.sources.lock() {
        Ok(sources) => files
            .iter()
            .filter_map(|(n, id, k)| Some((n.clone(), *id, *k, sources.get(*id)?.text.clone())))
            .collect(),
        Err(_) => return Vec::new(),
    };
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (name, id, kind, text) in texts {
        let (parsed, errors) = parse_text(id, kind, &text);
        diags.extend(syntax_errors(id, errors));
        if let Some(Parsed::Vars(attrs)) = parsed {
            out.push((name, attrs));
        }
    }
    if !diags.is_empty()
        && let Ok(mut d) = shared.diags.lock()
    {
        d.extend(diags);
    }
    out
}

/// A root's input variables with Terraform's precedence: terraform.tfvars,
/// terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order, then the command line.
fn root_vars(
    tfvars: &[(String, Vec<Attribute>)],
    cli_vars: &[(String, VarInput)],
) -> BTreeMap<String, VarInput> {
    let mut files: Vec<&(String, Vec<Attribute>)> = tfvars.iter().collect();
    files.sort_by_key(|(n, _)| (!n.starts_with("terraform.tfvars"), n.clone()));
    let mut vars = BTreeMap::new();
    for (_, attrs) in files {
        for a in attrs {
            vars.insert(a.name.clone(), VarInput::Expr(a.expr.clone()));
        }
    }
    for (k, v) in cli_vars {
        vars.insert(k.clone(), v.clone());
    }
    vars
}

/// `--var-file` files (parsed once for every root) and `--var` values, in their order.
fn command_line_vars(
    options: &LoadOptions,
    display_base: Option<&Path>,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<RawDiag>,
) -> Vec<(String, VarInput)> {
    let mut cli_vars: Vec<(String, VarInput)> = Vec::new();
    for arg in &options.vars {
        let vf = match arg {
            VarArg::Value(name, value) => {
                cli_vars.push((name.clone(), VarInput::Raw(value.clone())));
                continue;
            }
            VarArg::File(vf) => vf,
        };
        let name = vf.to_string_lossy();
        let kind = if name.ends_with(".json") {
            FileKind::TfvarsJson
        } else {
            FileKind::Tfvars
        };
        match read_text(vf, Origin::CommandLine) {
            Ok(text) => {
                let display = display_for(display_base, vf);
                let text: Arc<str> = text.into();
                let id = sources.add(vf.clone(), display, text.clone());
                let (parsed, diags) = parse_text(id, kind, &text);
                for (off, msg) in diags {
                    diagnostics.push((load_diag(msg, None, Some(Span::new(id, off..off))), None));
                }
                if let Some(Parsed::Vars(attrs)) = parsed {
                    cli_vars.extend(attrs.into_iter().map(|a| (a.name, VarInput::Expr(a.expr))));
                }
            }
            Err(e) => diagnostics.push((
                load_diag(
                    format!("cannot read --var-file {}: {e}", vf.display()),
                    None,
                    None,
                ),
                None,
            )),
        }
    }
    cli_vars
}
