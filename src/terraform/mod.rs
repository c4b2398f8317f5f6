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
mod files;
pub mod functions;
pub mod hcl;
pub mod json;
pub mod nodes;
pub mod order;
pub mod plan;
pub mod provider;
mod roots;
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

use files::*;
pub(crate) use files::{module_dir, read_source};
use roots::*;

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
