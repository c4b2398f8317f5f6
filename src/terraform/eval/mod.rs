//! The evaluator: expressions to values, resources to instances, modules recursively.
//!
//! Evaluation is lazy and memoized per module instance, so declarations may appear in any
//! order; an item met again while it is being evaluated is a cycle and becomes unknown.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use super::ast::{BinOp, Body, Expr, ExprKind, Part, Step, UnOp};
use super::config::{Module, ModuleCall, ResourceBlock};
use super::functions::{self, FnError, known, to_bool, to_num, to_str};
use super::order::Node;
use super::source::{FileId, SourceMap, Span};
use super::types;
use super::value::{Partial, Reference, ResourceObject, Str, Unknown, Value};
use super::{DiagKind, InstanceKey, Severity};
use crate::discover::FileKind;

mod calls;
mod expr;
mod modules;
mod named;
mod paths;
mod resources;
mod template;
mod traversal;

pub use paths::{normalize, relative};
use template::finish_template;

/// Where a root variable's value was given.
#[derive(Debug, Clone)]
pub enum VarInput {
    /// An expression from a `.tfvars` file.
    Expr(Expr),
    /// A raw `--var` string: a string for string-typed variables, else parsed as HCL.
    Raw(String),
}

/// Things shared by the evaluation of every root module (parallel).
pub struct Shared {
    pub sources: Mutex<SourceMap>,
    pub modules: Mutex<HashMap<PathBuf, Arc<Module>>>,
    /// Each discovered directory's configuration files, sorted.
    pub discovered: HashMap<PathBuf, Vec<(FileId, FileKind)>>,
    /// The scanned directories, canonical; files read by `file()` must be inside one.
    pub scan_roots: Vec<PathBuf>,
    /// With one scanned directory, paths are shown relative to it.
    pub display_base: Option<PathBuf>,
    /// Parse errors of module directories loaded during evaluation.
    pub diags: Mutex<Vec<EvalDiag>>,
}

#[derive(Debug, Clone)]
pub struct EvalDiag {
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub span: Option<Span>,
    pub kind: DiagKind,
    /// Another place the diagnostic involves (the first of two definitions), and what it is.
    pub related: Option<(Span, String)>,
}

/// The resource type of a module call whose module is not downloaded (`terraform init` was
/// not run): its arguments are the call's inputs, `source`, and `reason`.
pub const NOT_DOWNLOADED: &str = "module";

/// An evaluated resource instance, before locations are attached.
#[derive(Debug, Clone)]
pub struct InstanceOut {
    pub address: String,
    pub module: String,
    pub data: bool,
    pub rtype: String,
    pub name: String,
    pub key: Option<InstanceKey>,
    pub attributes: BTreeMap<String, Value>,
    pub spans: BTreeMap<String, Span>,
    pub span: Span,
}

#[derive(Debug, Clone)]
struct Error {
    msg: String,
    span: Span,
}

type Res = Result<Value, Error>;

#[derive(Debug, Clone)]
enum Iter {
    None,
    Count(i64),
    Each(Value, Value),
    /// Expansion failed; `count.index`/`each.*` are unknown for this reason.
    Unknown(String),
}

#[derive(Clone)]
struct Scope {
    inst: usize,
    iter: Iter,
    vars: Vec<(String, Value)>,
    /// `templatefile` sees only its own variables.
    isolated: bool,
}

impl Scope {
    fn with(&self, name: &str, v: Value) -> Scope {
        let mut s = self.clone();
        s.vars.push((name.to_string(), v));
        s
    }
}

struct Parent {
    inst: usize,
    call: usize,
    iter: Iter,
}

struct ModInst {
    module: Arc<Module>,
    /// `module.a.module.b["k"].`, empty for the root.
    prefix: String,
    /// Call names from the root, for `.terraform/modules/modules.json` keys.
    names: Vec<String>,
    parent: Option<Parent>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Item {
    Var(String),
    Local(String),
    Output(String),
    Call(usize),
}

enum Slot {
    InProgress,
    Done(Value),
}

struct ResourceEval {
    value: Value,
    /// Taken (not copied) by [`Evaluator::walk`] once the resource is evaluated.
    instances: RefCell<Vec<InstanceOut>>,
}

/// `None` while the resource is being evaluated.
type ResourceSlot = Option<Rc<ResourceEval>>;
type ParsedTemplate = Rc<Result<Vec<Part>, String>>;
type Children = Result<Vec<(Option<InstanceKey>, usize)>, String>;

/// A module's resources by `(data, type, name)` and its calls by name, so a reference
/// finds its target in constant time (a linear scan made 80,000 chained resources take 39 s).
#[derive(Default)]
struct Index {
    resources: HashMap<(bool, String, String), usize>,
    calls: HashMap<String, usize>,
}

impl Index {
    fn of(m: &Module) -> Index {
        let mut index = Index::default();
        // The first of duplicates wins, as the linear scan did.
        for (i, r) in m.resources.iter().enumerate() {
            index
                .resources
                .entry((r.data, r.rtype.clone(), r.name.clone()))
                .or_insert(i);
        }
        for (i, c) in m.calls.iter().enumerate() {
            index.calls.entry(c.name.clone()).or_insert(i);
        }
        index
    }
}

const MAX_MODULE_DEPTH: usize = 32;
const MAX_EXPANSION: usize = 10_000;
/// Module instances in one root module (`count`/`for_each` on nested calls multiply).
const MAX_MODULE_INSTANCES: usize = 10_000;
/// Resource instances in one root module.
const MAX_RESOURCE_INSTANCES: usize = 100_000;
/// Expression evaluations (and loop iterations) for one resource, with the values it needs
/// first: nested `for` expressions over `range()` must not run for hours. Past it the
/// resource's remaining attributes are unknown, and the other resources are still evaluated.
const MAX_STEPS_PER_RESOURCE: u64 = 1_000_000;
/// Expression evaluations in one root module; past it the rest of the module is unknown.
const MAX_STEPS: u64 = 5_000_000;
/// Bytes of memoized values and resource attributes in one root module (see
/// [`Value::size_up_to`]).
const MAX_TOTAL_BYTES: usize = 256 << 20;
/// The error of every evaluation once a budget above is spent (reported once).
const STOPPED: &str = "evaluation stopped: the configuration is too large to evaluate";
/// The error of every evaluation once one resource's step budget is spent (reported once).
const STOPPED_HERE: &str = "evaluation stopped: this expression takes too many steps";
/// The error of an evaluation nested past [`MAX_NESTING`] (reported where it happened).
const NESTED: &str = "evaluation is nested too deeply";
const NESTED_HELP: &str = "a very long `[*]` chain, a template that includes itself, or references that depend on each other too deeply; the value is unknown";
const VALUE_TOO_DEEP: &str = "this value is nested too deeply";
/// Named values (locals, variables, outputs) and resources evaluated inside one another.
const MAX_DEPTH: usize = 256;
/// Evaluations inside one another: expressions, splat levels, template directives and
/// `templatefile` calls, across references. hcl-edit refuses expressions nested deeper than
/// 64, but a `[*]` chain, a template that includes itself or a chain of references is not
/// nested in the syntax; this bound stops them before the stack does (see
/// [`crate::terraform::STACK_SIZE`]).
pub const MAX_NESTING: usize = 2_000;
/// Nesting of a value kept for later use (a local, a resource attribute): a chain of locals
/// each wrapping the one before in a list would build a value too deep to drop, compare or
/// encode without recursing past the stack.
pub const MAX_VALUE_DEPTH: usize = 500;

pub struct Evaluator<'a> {
    shared: &'a Shared,
    root_dir: PathBuf,
    root_vars: BTreeMap<String, VarInput>,
    modules_json: HashMap<String, PathBuf>,
    insts: RefCell<Vec<Rc<ModInst>>>,
    children: RefCell<HashMap<(usize, usize), Rc<Children>>>,
    values: RefCell<HashMap<(usize, Item), Slot>>,
    resources: RefCell<HashMap<(usize, usize), ResourceSlot>>,
    templates: RefCell<HashMap<PathBuf, ParsedTemplate>>,
    /// [`Index`] of each module, by its address (modules live as long as the evaluator).
    indexes: RefCell<HashMap<*const Module, Rc<Index>>>,
    stack: RefCell<Vec<String>>,
    /// Nesting of named values and resources being evaluated, to stop before the stack does.
    depth: std::cell::Cell<usize>,
    /// Nesting of evaluations (see [`MAX_NESTING`]).
    nesting: std::cell::Cell<usize>,
    /// Budgets: evaluation steps, bytes kept, resource instances; `stopped` once one is spent.
    steps: std::cell::Cell<u64>,
    /// Steps since the current top-level resource began, and whether they ran out.
    steps_here: std::cell::Cell<u64>,
    spent_here: std::cell::Cell<bool>,
    bytes: std::cell::Cell<usize>,
    resource_instances: std::cell::Cell<usize>,
    stopped: std::cell::Cell<bool>,
    diags: RefCell<Vec<EvalDiag>>,
    /// `terraform.workspace`.
    workspace: String,
}

impl<'a> Evaluator<'a> {
    pub fn new(
        shared: &'a Shared,
        root: Arc<Module>,
        root_vars: BTreeMap<String, VarInput>,
        modules_json: HashMap<String, PathBuf>,
    ) -> Evaluator<'a> {
        let root_dir = root.dir.clone();
        Evaluator {
            shared,
            root_dir,
            root_vars,
            modules_json,
            insts: RefCell::new(vec![Rc::new(ModInst {
                module: root,
                prefix: String::new(),
                names: Vec::new(),
                parent: None,
            })]),
            children: RefCell::default(),
            values: RefCell::default(),
            resources: RefCell::default(),
            templates: RefCell::default(),
            indexes: RefCell::default(),
            stack: RefCell::default(),
            depth: std::cell::Cell::new(0),
            nesting: std::cell::Cell::new(0),
            steps: std::cell::Cell::new(0),
            steps_here: std::cell::Cell::new(0),
            spent_here: std::cell::Cell::new(false),
            bytes: std::cell::Cell::new(0),
            resource_instances: std::cell::Cell::new(0),
            stopped: std::cell::Cell::new(false),
            diags: RefCell::default(),
            workspace: "default".into(),
        }
    }

    /// Evaluates `terraform.workspace` as `name` (default: `"default"`).
    pub fn with_workspace(mut self, name: String) -> Self {
        self.workspace = name;
        self
    }

    /// Evaluates every resource of every module instance.
    pub fn run(self) -> (Vec<InstanceOut>, Vec<EvalDiag>) {
        let mut out = Vec::new();
        self.walk(0, 0, &mut out);
        // Undeclared root variables given on the command line are worth a note.
        // It points at the value in the .tfvars file that gave it (the last one to set it).
        let root = self.inst(0);
        for (name, input) in &self.root_vars {
            if !root.module.variables.contains_key(name) {
                let at = match input {
                    VarInput::Expr(e) => Some(e.span),
                    VarInput::Raw(_) => None,
                };
                self.diag(
                    Severity::Warning,
                    format!("a value was given for variable \"{name}\", which is not declared"),
                    None,
                    at,
                );
            }
        }
        (out, self.diags.into_inner())
    }

    fn walk(&self, inst: usize, depth: usize, out: &mut Vec<InstanceOut>) {
        let m = self.inst(inst).module.clone();
        // Dependencies first, so that evaluating each finds its references memoized.
        let index = self.index(&m);
        // Locals are evaluated as part of the resources that need them (a local cut short by
        // a resource's step budget is not kept, so evaluating it alone would pay twice).
        // Each resource once: one cut short by its step budget is not memoized.
        let mut done: Vec<Option<Rc<ResourceEval>>> = vec![None; m.resources.len()];
        for node in super::order::evaluation_order(&m, &index.resources) {
            if let Node::Resource(idx) = node {
                self.fresh_steps();
                done[idx] = self.resource(inst, idx);
            }
        }
        for r in done.into_iter().flatten() {
            out.append(&mut r.instances.borrow_mut());
        }
        for c in 0..m.calls.len() {
            if depth >= MAX_MODULE_DEPTH {
                self.diag(
                    Severity::Error,
                    "modules are nested too deeply (a module that calls itself?)".into(),
                    None,
                    Some(m.calls[c].span),
                );
                return;
            }
            self.fresh_steps();
            let kids = self.children(inst, c);
            match kids.as_ref() {
                Ok(kids) => {
                    for (_, child) in kids {
                        self.walk(*child, depth + 1, out);
                    }
                }
                Err(reason) => out.extend(self.not_downloaded(inst, c, reason)),
            }
        }
    }

    /// A registry or git module that is not downloaded, as instances of the pseudo type
    /// [`NOT_DOWNLOADED`]: its source and inputs, so the graph knows what is handed to it.
    fn not_downloaded(&self, inst: usize, call_idx: usize, reason: &str) -> Vec<InstanceOut> {
        let mi = self.inst(inst);
        let call = &mi.module.calls[call_idx];
        let Some(source) = call
            .source
            .as_ref()
            .filter(|s| !super::config::is_local_source(s))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, iter) in self.expand(inst, call.count.as_ref(), call.for_each.as_ref()) {
            let sc = Scope {
                inst,
                iter,
                vars: Vec::new(),
                isolated: false,
            };
            let mut attributes = BTreeMap::new();
            let mut spans = BTreeMap::new();
            for a in &call.inputs {
                let v = self
                    .eval(&a.expr, &sc)
                    .unwrap_or_else(|e| Value::unknown(e.msg));
                attributes.insert(a.name.clone(), v);
                spans.insert(a.name.clone(), a.expr.span);
            }
            attributes.insert("source".to_string(), Value::str(source.clone()));
            attributes.insert("reason".to_string(), Value::str(reason));
            out.push(InstanceOut {
                address: format!(
                    "{}module.{}{}",
                    mi.prefix,
                    call.name,
                    key.as_ref().map_or(String::new(), InstanceKey::suffix)
                ),
                module: mi.prefix.trim_end_matches('.').to_string(),
                data: false,
                rtype: NOT_DOWNLOADED.to_string(),
                name: call.name.clone(),
                key,
                attributes,
                spans,
                span: call.span,
            });
        }
        out
    }

    fn index(&self, m: &Arc<Module>) -> Rc<Index> {
        self.indexes
            .borrow_mut()
            .entry(Arc::as_ptr(m))
            .or_insert_with(|| Rc::new(Index::of(m)))
            .clone()
    }

    fn inst(&self, i: usize) -> Rc<ModInst> {
        // Instances are only ever pushed, and ids come from pushes.
        self.insts.borrow()[i].clone()
    }

    fn diag(&self, severity: Severity, message: String, help: Option<String>, span: Option<Span>) {
        self.diags.borrow_mut().push(EvalDiag {
            severity,
            message,
            help,
            span,
            kind: DiagKind::Syntax,
            related: None,
        });
    }

    /// An expression Terraform would refuse (`terraform-expression`): its value is unknown.
    fn semantic(&self, message: String, help: Option<String>, span: Option<Span>) {
        self.diags.borrow_mut().push(EvalDiag {
            severity: Severity::Warning,
            message,
            help,
            span,
            kind: DiagKind::Expression,
            related: None,
        });
    }

    fn root_scope(inst: usize) -> Scope {
        Scope {
            inst,
            iter: Iter::None,
            vars: Vec::new(),
            isolated: false,
        }
    }

    /// Evaluates an expression whose errors become unknown values plus a diagnostic.
    fn eval_reported(&self, e: &Expr, sc: &Scope) -> Value {
        match self.eval(e, sc) {
            Ok(v) => v,
            Err(err) => {
                // The budget errors are reported once, where they ran out.
                if err.msg != STOPPED && err.msg != STOPPED_HERE && err.msg != NESTED {
                    self.semantic(err.msg.clone(), None, Some(err.span));
                }
                Value::unknown(err.msg)
            }
        }
    }

    /// Stops all further evaluation of this root module, with one diagnostic at `span`.
    fn stop(&self, why: String, span: Option<Span>) {
        if !self.stopped.replace(true) {
            self.diag(
                Severity::Error,
                format!("{STOPPED}: {why}"),
                Some("the rest of this root module is not evaluated; other root modules and files are still analyzed".into()),
                span,
            );
        }
    }

    /// Counts one evaluation step; fails once the step budget is spent.
    fn step(&self, span: Span) -> Result<(), Error> {
        let n = self.steps.get() + 1;
        self.steps.set(n);
        if n > MAX_STEPS {
            self.stop(
                format!("more than {MAX_STEPS} evaluation steps"),
                Some(span),
            );
        }
        if self.stopped.get() {
            return Err(Error {
                msg: STOPPED.into(),
                span,
            });
        }
        let here = self.steps_here.get() + 1;
        self.steps_here.set(here);
        if here > MAX_STEPS_PER_RESOURCE {
            if !self.spent_here.replace(true) {
                self.diag(
                    Severity::Error,
                    format!("{STOPPED_HERE} (more than {MAX_STEPS_PER_RESOURCE})"),
                    Some("the value is unknown; the other resources are still evaluated".into()),
                    Some(span),
                );
            }
            return Err(Error {
                msg: STOPPED_HERE.into(),
                span,
            });
        }
        Ok(())
    }

    /// A new top-level resource (or module call) starts with a fresh step budget.
    fn fresh_steps(&self) {
        self.steps_here.set(0);
        self.spent_here.set(false);
    }

    /// Enters one more level of nested evaluation; past [`MAX_NESTING`] it reports an error
    /// here (the innermost level: the line that recurses) and fails.
    fn nest(&self, span: Span) -> Result<Nest<'_>, Error> {
        let d = self.nesting.get();
        if d >= MAX_NESTING {
            self.diag(
                Severity::Error,
                format!("{NESTED} (more than {MAX_NESTING} levels)"),
                Some(NESTED_HELP.into()),
                Some(span),
            );
            return Err(err(NESTED.into(), span));
        }
        self.nesting.set(d + 1);
        Ok(Nest(&self.nesting))
    }

    /// The value of `what`, met [`MAX_DEPTH`] references deep: unknown, with an error at `span`.
    fn too_deep(&self, what: &str, span: Option<Span>) -> Value {
        let msg = format!(
            "{what}: references are nested too deeply (more than {MAX_DEPTH} named values and resources, each needing the next)"
        );
        self.diag(
            Severity::Error,
            msg.clone(),
            Some("the value is unknown; shorten the chain of references".into()),
            span,
        );
        Value::unknown(msg)
    }

    /// A value about to be kept (a named value, a resource attribute) nested deeper than
    /// [`MAX_VALUE_DEPTH`] becomes unknown, with an error at `span`.
    fn shallow(&self, v: Value, span: Option<Span>) -> Value {
        if !nested_deeper(&v, MAX_VALUE_DEPTH) {
            return v;
        }
        let msg = format!("{VALUE_TOO_DEEP} (more than {MAX_VALUE_DEPTH} levels)");
        self.diag(
            Severity::Error,
            msg.clone(),
            Some(
                "the value is unknown; build it without wrapping it in itself level by level"
                    .into(),
            ),
            span,
        );
        Value::unknown(msg)
    }

    /// Counts bytes kept (memoized values, resource attributes); false once over budget.
    fn keep(&self, size: usize, span: Option<Span>) -> bool {
        let total = self.bytes.get().saturating_add(size);
        self.bytes.set(total);
        if total > MAX_TOTAL_BYTES {
            self.stop(
                format!(
                    "it builds more than {} MiB of values",
                    MAX_TOTAL_BYTES >> 20
                ),
                span,
            );
        }
        !self.stopped.get()
    }

    /// Memoized evaluation with cycle detection.
    fn memo(
        &self,
        inst: usize,
        item: Item,
        label: String,
        span: Option<Span>,
        f: impl FnOnce() -> Value,
    ) -> Value {
        let key = (inst, item);
        match self.values.borrow().get(&key) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::InProgress) => {
                let stack = self.stack.borrow();
                let from = stack.iter().rposition(|s| *s == label).unwrap_or(0);
                let mut chain: Vec<&str> = stack[from..].iter().map(String::as_str).collect();
                chain.push(&label);
                let msg = format!("cycle: {}", chain.join(" → "));
                drop(stack);
                self.semantic(
                    msg.clone(),
                    Some("Terraform rejects this configuration; break the cycle".into()),
                    span,
                );
                return Value::unknown(msg);
            }
            None => {}
        }
        if self.depth.get() >= MAX_DEPTH {
            // Not memoized: a shallower path may still evaluate it.
            return self.too_deep(&label, span);
        }
        self.values
            .borrow_mut()
            .insert(key.clone(), Slot::InProgress);
        self.stack.borrow_mut().push(label);
        self.depth.set(self.depth.get() + 1);
        let v = f();
        self.depth.set(self.depth.get() - 1);
        self.stack.borrow_mut().pop();
        if self.spent_here.get() {
            // Cut short by the step budget of the resource that needed it: not kept, so a
            // later resource evaluates it with its own budget.
            self.values.borrow_mut().remove(&key);
            return v;
        }
        let v = if self.keep(v.size_up_to(MAX_TOTAL_BYTES), span) {
            self.shallow(v, span)
        } else {
            Value::unknown(STOPPED)
        };
        self.values.borrow_mut().insert(key, Slot::Done(v.clone()));
        v
    }

    // ---- named values -------------------------------------------------------------------

    // ---- modules --------------------------------------------------------------------------

    // ---- resources ------------------------------------------------------------------------

    // ---- expressions ----------------------------------------------------------------------
}

/// One level of nested evaluation; leaving it (dropping this) goes back up.
struct Nest<'e>(&'e std::cell::Cell<usize>);

impl Drop for Nest<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// True when `v` has lists, maps or resources nested more than `limit` deep (recursing at
/// most `limit` levels itself).
fn nested_deeper(v: &Value, limit: usize) -> bool {
    fn any_deeper<'v>(mut items: impl Iterator<Item = &'v Value>, limit: usize) -> bool {
        items.any(|x| limit == 0 || nested_deeper(x, limit - 1))
    }
    match v {
        Value::List(l) => any_deeper(l.iter(), limit),
        Value::Map(m) => any_deeper(m.values(), limit),
        Value::Resource(r) => any_deeper(r.attributes.values(), limit),
        _ => false,
    }
}

/// Adds a value being collected into a list, object or argument list to `total`; fails
/// past [`functions::MAX_VALUE_BYTES`].
fn grow(total: &mut usize, v: &Value, span: Span) -> Result<(), Error> {
    *total = total.saturating_add(v.size_up_to(functions::MAX_VALUE_BYTES));
    if *total > functions::MAX_VALUE_BYTES {
        return Err(err(functions::too_large_message("this value"), span));
    }
    Ok(())
}

fn err(msg: String, span: Span) -> Error {
    Error { msg, span }
}

fn lift(r: Result<Value, FnError>, span: Span) -> Res {
    match r {
        Ok(v) => Ok(v),
        Err(FnError::Unknown(reason)) => Ok(Value::unknown(reason)),
        Err(FnError::Error(msg)) => Err(Error { msg, span }),
    }
}

impl Value {
    fn as_list(&self) -> &[Value] {
        match self {
            Value::List(l) => l,
            _ => &[],
        }
    }
}
