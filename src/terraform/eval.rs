//! The evaluator: expressions to values, resources to instances, modules recursively.
//!
//! Evaluation is lazy and memoized per module instance, so declarations may appear in any
//! order; an item met again while it is being evaluated is a cycle and becomes unknown.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
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

    fn var(&self, inst: usize, name: &str, span: Span) -> Res {
        let mi = self.inst(inst);
        let Some(decl) = mi.module.variables.get(name).cloned() else {
            return Err(Error {
                msg: format!("reference to undeclared input variable \"{name}\""),
                span,
            });
        };
        let label = format!("{}var.{name}", mi.prefix);
        let origin = label.clone();
        Ok(self.memo(inst, Item::Var(name.to_string()), label, Some(decl.span), || {
            let sc = Self::root_scope(inst);
            // The value given and where it was written (a module input, a .tfvars entry).
            let given: Option<(Value, Option<Span>)> = match &mi.parent {
                Some(p) => {
                    let call = &self.inst(p.inst).module.calls[p.call];
                    call.inputs.iter().find(|a| a.name == name).map(|a| {
                        let psc = Scope {
                            inst: p.inst,
                            iter: p.iter.clone(),
                            vars: Vec::new(),
                            isolated: false,
                        };
                        (self.eval_reported(&a.expr, &psc), Some(a.expr.span))
                    })
                }
                None => self.root_vars.get(name).map(|input| match input {
                    VarInput::Expr(e) => (self.eval_reported(e, &sc), Some(e.span)),
                    VarInput::Raw(s) => (self.raw_var(name, s, &decl, &sc), None),
                }),
            };
            let given = given.filter(|(v, _)| !matches!(v, Value::Null));
            let (v, at) = match (given, &decl.default) {
                (Some((v, at)), _) => (v, at),
                (None, Some(d)) => (self.eval_reported(d, &sc), Some(d.span)),
                (None, None) => (
                    Value::Unknown(Unknown {
                    reason: if mi.parent.is_some() {
                        format!(
                            "input variable \"{name}\" of {} is not set by the module call",
                            mi.prefix.trim_end_matches('.')
                        )
                    } else {
                        format!(
                            "variable \"{name}\" has no value: pass --var {name}=... or set it in a .tfvars file"
                        )
                    },
                    origin: Some(origin),
                    ..Unknown::default()
                }),
                    None,
                ),
            };
            let Some(t) = &decl.ty else {
                return v;
            };
            let ty = types::parse(t, &|e| self.eval_reported(e, &sc));
            match types::convert(v, &ty) {
                Ok(v) => v,
                Err(why) => {
                    let msg = format!(
                        "the value of variable \"{name}\" is not a {ty}: {why}"
                    );
                    self.diag(
                        Severity::Error,
                        msg.clone(),
                        Some(format!("Terraform rejects this value; give variable \"{name}\" a value of its type")),
                        at.or(Some(decl.span)),
                    );
                    Value::unknown(msg)
                }
            }
        }))
    }

    /// A `--var name=value` string: the string itself for a string (or untyped) variable,
    /// otherwise parsed as an expression, as Terraform does; one that does not parse is an
    /// error naming the variable (at its declaration: the command line has no file).
    fn raw_var(&self, name: &str, s: &str, decl: &super::config::Variable, sc: &Scope) -> Value {
        let is_string = decl
            .ty
            .as_ref()
            .is_none_or(|t| matches!(&t.kind, ExprKind::Var(n) if n == "string" || n == "any"));
        if is_string {
            return Value::str(s.to_string());
        }
        let parsed = super::hcl::parse_expr(decl.span.file, s)
            .map_err(|e| format!("the value does not parse as an expression: {}", e.message))
            .and_then(|e| self.eval(&e, sc).map_err(|e| e.msg));
        match parsed {
            Ok(v) => v,
            Err(why) => {
                let msg = format!("invalid value for variable \"{name}\" given by --var: {why}");
                self.diag(
                    Severity::Error,
                    msg.clone(),
                    Some(format!(
                        "quote the value as Terraform reads it, e.g. --var '{name}=[\"a\", \"b\"]'"
                    )),
                    Some(decl.span),
                );
                Value::unknown(msg)
            }
        }
    }

    fn local(&self, inst: usize, name: &str, span: Span) -> Res {
        let mi = self.inst(inst);
        let Some(attr) = mi.module.locals.get(name) else {
            return Err(Error {
                msg: format!("reference to undeclared local value \"{name}\""),
                span,
            });
        };
        let label = format!("{}local.{name}", mi.prefix);
        Ok(self.memo(
            inst,
            Item::Local(name.to_string()),
            label,
            Some(attr.span),
            || self.eval_reported(&attr.expr, &Self::root_scope(inst)),
        ))
    }

    fn output(&self, inst: usize, name: &str, span: Span) -> Res {
        let mi = self.inst(inst);
        let Some(attr) = mi.module.outputs.get(name) else {
            return Err(Error {
                msg: format!(
                    "module {} has no output \"{name}\"",
                    mi.prefix.trim_end_matches('.')
                ),
                span,
            });
        };
        let label = format!("{}output.{name}", mi.prefix);
        Ok(self.memo(
            inst,
            Item::Output(name.to_string()),
            label,
            Some(attr.span),
            || self.eval_reported(&attr.expr, &Self::root_scope(inst)),
        ))
    }

    // ---- modules --------------------------------------------------------------------------

    fn resolve_module(&self, inst: usize, call: &ModuleCall) -> Result<Arc<Module>, String> {
        let mi = self.inst(inst);
        let Some(source) = &call.source else {
            return Err(format!("module \"{}\" has no literal source", call.name));
        };
        let dir = if super::config::is_local_source(source) {
            normalize(&mi.module.dir.join(source))
        } else {
            let mut key = mi.names.clone();
            key.push(call.name.clone());
            match self.modules_json.get(&key.join(".")) {
                Some(d) => normalize(&self.root_dir.join(d)),
                None => {
                    return Err(format!(
                        "module \"{}\" comes from \"{source}\", which is not downloaded: run terraform init or pass a plan",
                        call.name
                    ));
                }
            }
        };
        super::module_dir(self.shared, &dir, true)
            .ok_or_else(|| format!("module directory {} has no Terraform files", dir.display()))
    }

    fn children(&self, inst: usize, call_idx: usize) -> Rc<Children> {
        if let Some(c) = self.children.borrow().get(&(inst, call_idx)) {
            return c.clone();
        }
        let mi = self.inst(inst);
        let call = &mi.module.calls[call_idx];
        // A module that calls itself, directly or through others, never ends; nor does a
        // tree whose instances multiply without bound.
        let mut fatal = false;
        let result = self.resolve_module(inst, call).and_then(|module| {
            let mut chain = vec![module.dir.clone()];
            let mut cur = Some(inst);
            while let Some(i) = cur {
                let m = self.inst(i);
                chain.push(m.module.dir.clone());
                if m.module.dir == module.dir {
                    fatal = true;
                    chain.reverse();
                    let shown: Vec<String> =
                        chain.iter().map(|d| relative(d, &self.root_dir)).collect();
                    return Err(format!(
                        "module \"{}\" is a cycle: {}",
                        call.name,
                        shown.join(" → ")
                    ));
                }
                cur = m.parent.as_ref().map(|p| p.inst);
            }
            Ok(module)
        });
        let result = result.and_then(|module| {
            let keys = self.expand(inst, call.count.as_ref(), call.for_each.as_ref());
            if self.insts.borrow().len().saturating_add(keys.len()) > MAX_MODULE_INSTANCES {
                fatal = true;
                return Err(format!(
                    "module \"{}\" would make more than {MAX_MODULE_INSTANCES} module instances",
                    call.name
                ));
            }
            let mut kids = Vec::new();
            for (key, iter) in keys {
                let suffix = key.as_ref().map_or(String::new(), InstanceKey::suffix);
                let mut names = mi.names.clone();
                names.push(call.name.clone());
                let child = ModInst {
                    module: module.clone(),
                    prefix: format!("{}module.{}{}.", mi.prefix, call.name, suffix),
                    names,
                    parent: Some(Parent {
                        inst,
                        call: call_idx,
                        iter,
                    }),
                };
                let mut insts = self.insts.borrow_mut();
                insts.push(Rc::new(child));
                kids.push((key, insts.len() - 1));
            }
            Ok(kids)
        });
        if let Err(reason) = &result {
            self.diag(
                if fatal {
                    Severity::Error
                } else {
                    Severity::Note
                },
                reason.clone(),
                Some("resources inside this module are not analyzed".into()),
                Some(call.span),
            );
        }
        let rc = Rc::new(result);
        self.children
            .borrow_mut()
            .insert((inst, call_idx), rc.clone());
        rc
    }

    fn call_value(&self, inst: usize, call_idx: usize) -> Value {
        let mi = self.inst(inst);
        let call = &mi.module.calls[call_idx];
        let label = format!("{}module.{}", mi.prefix, call.name);
        self.memo(inst, Item::Call(call_idx), label, Some(call.span), || {
            let kids = self.children(inst, call_idx);
            let kids = match kids.as_ref() {
                Ok(k) => k,
                // Its outputs are inputs of their own: `module.m.x` is one value.
                Err(reason) => {
                    return Value::Unknown(Unknown {
                        reason: reason.clone(),
                        origin: Some(format!("{}module.{}", mi.prefix, call.name)),
                        ..Unknown::default()
                    });
                }
            };
            let object = |child: usize| {
                let m = self.inst(child).module.clone();
                Value::Map(
                    m.outputs
                        .keys()
                        .map(|k| {
                            let v = self
                                .output(child, k, call.span)
                                .unwrap_or_else(|e| Value::unknown(e.msg));
                            (k.clone(), v)
                        })
                        .collect(),
                )
            };
            collect_expansion(call.count.is_some(), call.for_each.is_some(), kids, object)
        })
    }

    // ---- resources ------------------------------------------------------------------------

    /// Expands `count`/`for_each` into instance keys and iteration contexts.
    fn expand(
        &self,
        inst: usize,
        count: Option<&Expr>,
        for_each: Option<&Expr>,
    ) -> Vec<(Option<InstanceKey>, Iter)> {
        let sc = Self::root_scope(inst);
        if let Some(c) = count {
            let v = self.eval_reported(c, &sc);
            return match to_num(&v) {
                Ok(n) if n >= 0.0 && n.fract() == 0.0 && (n as usize) <= MAX_EXPANSION => (0..n
                    as i64)
                    .map(|i| (Some(InstanceKey::Int(i)), Iter::Count(i)))
                    .collect(),
                // Terraform's rule: a whole number from 0 to 2^31 - 1 (numbers themselves
                // are unbounded: `1e400` is a number, not a count).
                Ok(n) if n < 0.0 || n.fract() != 0.0 || n > f64::from(i32::MAX) || n.is_nan() => {
                    let shown = if n.is_finite() {
                        format!("count = {}", super::value::number_to_string(n))
                    } else {
                        "this count".to_string()
                    };
                    self.diag(
                        Severity::Error,
                        format!(
                            "{shown} is not a valid count: it must be a whole number from 0 to {}",
                            i32::MAX
                        ),
                        None,
                        Some(c.span),
                    );
                    Vec::new()
                }
                Ok(n) => {
                    self.semantic(
                        format!("count = {n} is not a usable count"),
                        None,
                        Some(c.span),
                    );
                    Vec::new()
                }
                Err(FnError::Unknown(r)) => {
                    vec![(
                        Some(InstanceKey::Unknown),
                        Iter::Unknown(format!("count is unknown: {r}")),
                    )]
                }
                Err(FnError::Error(m)) => {
                    self.semantic(format!("invalid count: {m}"), None, Some(c.span));
                    Vec::new()
                }
            };
        }
        if let Some(fe) = for_each {
            let v = self.eval_reported(fe, &sc);
            return match v {
                Value::Map(m) => m
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            Some(InstanceKey::Str(k.clone())),
                            Iter::Each(Value::str(k), v),
                        )
                    })
                    .collect(),
                Value::List(l) => {
                    let mut out = Vec::new();
                    for item in functions::make_set(l).as_list() {
                        match to_str(item) {
                            Ok(k) => out.push((
                                Some(InstanceKey::Str(k.text.clone())),
                                Iter::Each(Value::String(k), item.clone()),
                            )),
                            Err(FnError::Unknown(r)) => {
                                return vec![(
                                    Some(InstanceKey::Unknown),
                                    Iter::Unknown(format!("for_each is unknown: {r}")),
                                )];
                            }
                            Err(FnError::Error(m)) => {
                                self.semantic(
                                    format!("invalid for_each element: {m}"),
                                    None,
                                    Some(fe.span),
                                );
                            }
                        }
                    }
                    out
                }
                Value::Null => {
                    self.semantic("for_each is null".into(), None, Some(fe.span));
                    Vec::new()
                }
                v => {
                    let r = match known(&v) {
                        Err(FnError::Unknown(r)) => r,
                        _ => format!("for_each must be a map or a set, not a {}", v.type_name()),
                    };
                    vec![(
                        Some(InstanceKey::Unknown),
                        Iter::Unknown(format!("for_each is unknown: {r}")),
                    )]
                }
            };
        }
        vec![(None, Iter::None)]
    }

    fn resource(&self, inst: usize, idx: usize) -> Option<Rc<ResourceEval>> {
        if let Some(slot) = self.resources.borrow().get(&(inst, idx)) {
            return slot.clone();
        }
        if self.depth.get() >= MAX_DEPTH {
            let r = &self.inst(inst).module.resources[idx];
            return Some(Rc::new(ResourceEval {
                value: self.too_deep(&r.config_address(), Some(r.span)),
                instances: RefCell::default(),
            }));
        }
        self.depth.set(self.depth.get() + 1);
        let r = self.resource_uncached(inst, idx);
        self.depth.set(self.depth.get() - 1);
        r
    }

    fn resource_uncached(&self, inst: usize, idx: usize) -> Option<Rc<ResourceEval>> {
        // `None` while in progress: a resource referring to itself.
        self.resources.borrow_mut().insert((inst, idx), None);
        let mi = self.inst(inst);
        let r: &ResourceBlock = &mi.module.resources[idx];
        let base = format!("{}{}", mi.prefix, r.config_address());
        let mut instances = Vec::new();
        let mut objects = Vec::new();
        for (key, iter) in self.expand(inst, r.count.as_ref(), r.for_each.as_ref()) {
            let n = self.resource_instances.get() + 1;
            self.resource_instances.set(n);
            // Once stopped, evaluation fails at once: what is left of this resource is
            // instances with unknown attributes (count and for_each are unknown by then,
            // so there is one), not missing resources that would look like defects.
            if n > MAX_RESOURCE_INSTANCES {
                self.stop(
                    format!("more than {MAX_RESOURCE_INSTANCES} resource instances"),
                    Some(r.span),
                );
            }
            let address = format!(
                "{base}{}",
                key.as_ref().map_or(String::new(), InstanceKey::suffix)
            );
            let sc = Scope {
                inst,
                iter,
                vars: Vec::new(),
                isolated: false,
            };
            let mut spans = BTreeMap::new();
            let attributes: BTreeMap<String, Value> = self
                .body(&r.body, &sc, "", &mut spans)
                .into_iter()
                .map(|(k, v)| {
                    let at = spans.get(&k).copied().unwrap_or(r.span);
                    (k, self.shallow(v, Some(at)))
                })
                .collect();
            // Kept twice: as the instance and as the resource's value.
            let size: usize = attributes
                .values()
                .map(|v| v.size_up_to(MAX_TOTAL_BYTES))
                .fold(0, usize::saturating_add);
            self.keep(size.saturating_mul(2), Some(r.span));
            objects.push((
                key.clone(),
                Value::Resource(Box::new(ResourceObject {
                    address: address.clone(),
                    data: r.data,
                    attributes: attributes.clone(),
                })),
            ));
            instances.push(InstanceOut {
                address,
                module: mi.prefix.trim_end_matches('.').to_string(),
                data: r.data,
                rtype: r.rtype.clone(),
                name: r.name.clone(),
                key,
                attributes,
                spans,
                span: r.span,
            });
        }
        let value = if objects
            .iter()
            .any(|(k, _)| matches!(k, Some(InstanceKey::Unknown)))
        {
            Value::unknown(format!("the instances of {base} are not known"))
        } else if r.count.is_some() {
            Value::List(objects.into_iter().map(|(_, v)| v).collect())
        } else if r.for_each.is_some() {
            Value::Map(
                objects
                    .into_iter()
                    .filter_map(|(k, v)| match k {
                        Some(InstanceKey::Str(s)) => Some((s, v)),
                        _ => None,
                    })
                    .collect(),
            )
        } else {
            objects.pop().map_or(Value::Null, |(_, v)| v)
        };
        let rc = Rc::new(ResourceEval {
            value,
            instances: RefCell::new(instances),
        });
        if self.spent_here.get() {
            // As in `memo`: not kept when cut short by the step budget.
            self.resources.borrow_mut().remove(&(inst, idx));
        } else {
            self.resources
                .borrow_mut()
                .insert((inst, idx), Some(rc.clone()));
        }
        Some(rc)
    }

    fn resource_value(&self, inst: usize, data: bool, rtype: &str, name: &str, span: Span) -> Res {
        let m = self.inst(inst).module.clone();
        let key = (data, rtype.to_string(), name.to_string());
        let Some(&idx) = self.index(&m).resources.get(&key) else {
            let what = if data { "data source" } else { "resource" };
            let addr = if data {
                format!("data.{rtype}.{name}")
            } else {
                format!("{rtype}.{name}")
            };
            return Err(Error {
                msg: format!("reference to undeclared {what} {addr}"),
                span,
            });
        };
        match self.resource(inst, idx) {
            Some(r) => Ok(r.value.clone()),
            None => Ok(Value::unknown(format!(
                "cycle: {rtype}.{name} refers to itself"
            ))),
        }
    }

    /// Attributes and nested blocks of a body; nested blocks become lists of objects.
    fn body(
        &self,
        body: &Body,
        sc: &Scope,
        prefix: &str,
        spans: &mut BTreeMap<String, Span>,
    ) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        for a in &body.attributes {
            let path = format!("{prefix}{}", a.name);
            literal_spans(&path, &a.expr, spans);
            spans.insert(path, a.expr.span);
            out.insert(a.name.clone(), self.eval_reported(&a.expr, sc));
        }
        let mut lists: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for b in &body.blocks {
            if b.kind == "dynamic" {
                let Some(kind) = b.labels.first() else {
                    continue;
                };
                let Some(content) = b.body.blocks.iter().find(|c| c.kind == "content") else {
                    continue;
                };
                let iterator = b
                    .body
                    .attr("iterator")
                    .and_then(|a| a.expr.as_traversal_names())
                    .and_then(|n| n.first().cloned())
                    .unwrap_or_else(|| kind.clone());
                let coll = b
                    .body
                    .attr("for_each")
                    .map_or(Value::Null, |a| self.eval_reported(&a.expr, sc));
                let items: Vec<(Value, Value)> = match coll {
                    Value::List(l) => l
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (Value::Number(i as f64), v))
                        .collect(),
                    Value::Map(m) => m.into_iter().map(|(k, v)| (Value::str(k), v)).collect(),
                    _ => {
                        spans.insert(format!("{prefix}{kind}"), b.span);
                        out.insert(
                            kind.clone(),
                            Value::unknown(format!("dynamic \"{kind}\" for_each is not known")),
                        );
                        continue;
                    }
                };
                for (k, v) in items {
                    if self.step(b.span).is_err() {
                        break;
                    }
                    let mut obj = BTreeMap::new();
                    obj.insert("key".to_string(), k);
                    obj.insert("value".to_string(), v);
                    let isc = sc.with(&iterator, Value::Map(obj));
                    let list = lists.entry(kind.clone()).or_default();
                    let p = format!("{prefix}{kind}[{}].", list.len());
                    spans.insert(p.trim_end_matches('.').to_string(), content.span);
                    let v = Value::Map(self.body(&content.body, &isc, &p, spans));
                    lists.entry(kind.clone()).or_default().push(v);
                }
                continue;
            }
            let list = lists.entry(b.kind.clone()).or_default();
            let p = format!("{prefix}{}[{}].", b.kind, list.len());
            spans.insert(p.trim_end_matches('.').to_string(), b.span);
            let v = Value::Map(self.body(&b.body, sc, &p, spans));
            lists.entry(b.kind.clone()).or_default().push(v);
        }
        for (k, v) in lists {
            out.insert(k, Value::List(v));
        }
        out
    }

    // ---- expressions ----------------------------------------------------------------------

    fn eval(&self, e: &Expr, sc: &Scope) -> Res {
        self.step(e.span)?;
        let _nest = self.nest(e.span)?;
        match &e.kind {
            ExprKind::Null => Ok(Value::Null),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Number(n) => Ok(Value::Number(*n)),
            ExprKind::Template(parts) => self.template(parts, sc, e.span),
            ExprKind::Tuple(items) => {
                // Terraform 0.11 wrote lists as `["${var.list}"]`; flatten that form.
                if let [only] = items.as_slice()
                    && let ExprKind::Template(p) = &only.kind
                    && let [Part::Interp(_)] = p.as_slice()
                {
                    let v = self.eval(only, sc)?;
                    return Ok(match v {
                        Value::List(l) => Value::List(l),
                        v => Value::List(vec![v]),
                    });
                }
                let mut total = 0;
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let v = self.eval(i, sc)?;
                    grow(&mut total, &v, e.span)?;
                    out.push(v);
                }
                Ok(Value::List(out))
            }
            ExprKind::Object(pairs) => {
                let mut out = BTreeMap::new();
                let mut total = 0;
                for (k, v) in pairs {
                    // A bare name as key is a literal, also when it names a variable.
                    let key = match &k.kind {
                        ExprKind::Var(n) => Value::str(n.clone()),
                        _ => self.eval(k, sc)?,
                    };
                    let key = match to_str(&key) {
                        Ok(s) => s.text,
                        Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
                        Err(FnError::Error(m)) => return Err(err(m, k.span)),
                    };
                    let v = self.eval(v, sc)?;
                    grow(&mut total, &v, e.span)?;
                    total = total.saturating_add(key.len());
                    out.insert(key, v);
                }
                Ok(Value::Map(out))
            }
            ExprKind::Var(name) => self.traversal(name, &[], e.span, sc),
            ExprKind::Traversal(root, steps) => match &root.kind {
                ExprKind::Var(name) => self.traversal(name, steps, e.span, sc),
                _ => {
                    let v = self.eval(root, sc)?;
                    self.steps(v, steps, e.span, sc)
                }
            },
            ExprKind::Call {
                name,
                args,
                expand_final,
            } => self.call(name, args, *expand_final, e.span, sc),
            ExprKind::Cond(c, t, f) => {
                let cv = self.eval(c, sc)?;
                match to_bool(&cv) {
                    Ok(true) => self.eval(t, sc).and_then(|v| conditional_type(v, f)),
                    Ok(false) => self.eval(f, sc).and_then(|v| conditional_type(v, t)),
                    Err(FnError::Unknown(r)) => {
                        let tv = self.eval(t, sc)?;
                        let fv = self.eval(f, sc)?;
                        if tv == fv && tv.is_wholly_known() {
                            Ok(tv)
                        } else {
                            Ok(Value::unknown(format!("the condition is unknown: {r}")))
                        }
                    }
                    Err(FnError::Error(m)) => Err(err(format!("condition: {m}"), c.span)),
                }
            }
            ExprKind::Unary(op, x) => {
                let v = self.eval(x, sc)?;
                let r = match op {
                    UnOp::Neg => to_num(&v).map(|n| Value::Number(-n)),
                    UnOp::Not => to_bool(&v).map(|b| Value::Bool(!b)),
                };
                lift(r, e.span)
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.span, sc),
            ExprKind::For(f) => {
                let coll = self.eval(&f.collection, sc)?;
                let items: Vec<(Value, Value)> = match known(&coll) {
                    Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
                    _ => match coll {
                        Value::List(l) => l
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (Value::Number(i as f64), v))
                            .collect(),
                        Value::Map(m) => m.into_iter().map(|(k, v)| (Value::str(k), v)).collect(),
                        v => {
                            return Err(err(
                                format!("a for expression cannot iterate over a {}", v.type_name()),
                                f.collection.span,
                            ));
                        }
                    },
                };
                let mut list = Vec::new();
                let mut map: BTreeMap<String, Value> = BTreeMap::new();
                let mut total = 0;
                for (k, v) in items {
                    self.step(e.span)?;
                    let mut isc = sc.clone();
                    if let Some(kv) = &f.key_var {
                        isc = isc.with(kv, k);
                    }
                    isc = isc.with(&f.value_var, v);
                    if let Some(c) = &f.cond {
                        match to_bool(&self.eval(c, &isc)?) {
                            Ok(true) => {}
                            Ok(false) => continue,
                            Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
                            Err(FnError::Error(m)) => return Err(err(m, c.span)),
                        }
                    }
                    let val = self.eval(&f.value, &isc)?;
                    grow(&mut total, &val, e.span)?;
                    match &f.key {
                        None => list.push(val),
                        Some(ke) => {
                            let key = match to_str(&self.eval(ke, &isc)?) {
                                Ok(s) => s.text,
                                Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
                                Err(FnError::Error(m)) => return Err(err(m, ke.span)),
                            };
                            if f.grouping {
                                if let Value::List(l) =
                                    map.entry(key).or_insert_with(|| Value::List(Vec::new()))
                                {
                                    l.push(val)
                                }
                            } else if map.insert(key.clone(), val).is_some() {
                                return Err(err(
                                    format!(
                                        "duplicate key \"{key}\" in for expression (use ... to group)"
                                    ),
                                    ke.span,
                                ));
                            }
                        }
                    }
                }
                Ok(if f.key.is_some() {
                    Value::Map(map)
                } else {
                    Value::List(list)
                })
            }
            ExprKind::Invalid(m) => {
                // Terraform rejects the configuration: an error, not merely an unknown.
                self.diag(Severity::Error, m.clone(), None, Some(e.span));
                Ok(Value::unknown(m.clone()))
            }
        }
    }

    fn binary(&self, op: BinOp, a: &Expr, b: &Expr, span: Span, sc: &Scope) -> Res {
        let av = self.eval(a, sc)?;
        // Short-circuit where the left side decides.
        match (op, &av) {
            (BinOp::And, Value::Bool(false)) => return Ok(Value::Bool(false)),
            (BinOp::Or, Value::Bool(true)) => return Ok(Value::Bool(true)),
            _ => {}
        }
        let bv = self.eval(b, sc)?;
        let r = match op {
            BinOp::Eq | BinOp::NotEq => {
                if let Err(e) = known(&av).and_then(|_| known(&bv)) {
                    Err(e)
                } else if !av.is_wholly_known() || !bv.is_wholly_known() {
                    Err(FnError::Unknown(
                        "compares values not known before apply".into(),
                    ))
                } else {
                    Ok(Value::Bool((av == bv) == (op == BinOp::Eq)))
                }
            }
            BinOp::And | BinOp::Or => to_bool(&av).and_then(|x| {
                to_bool(&bv).map(|y| Value::Bool(if op == BinOp::And { x && y } else { x || y }))
            }),
            _ => to_num(&av).and_then(|x| {
                to_num(&bv).and_then(|y| {
                    Ok(match op {
                        BinOp::Plus => Value::Number(x + y),
                        BinOp::Minus => Value::Number(x - y),
                        BinOp::Mul => Value::Number(x * y),
                        // As Terraform: x / 0 is infinite (0 / 0 has no value), x % 0 is x.
                        BinOp::Div if y == 0.0 && x == 0.0 => {
                            return Err(FnError::Error("division of zero by zero".into()));
                        }
                        BinOp::Div => Value::Number(x / y),
                        BinOp::Mod if y == 0.0 => Value::Number(x),
                        BinOp::Mod => Value::Number(x % y),
                        BinOp::Less => Value::Bool(x < y),
                        BinOp::LessEq => Value::Bool(x <= y),
                        BinOp::Greater => Value::Bool(x > y),
                        _ => Value::Bool(x >= y),
                    })
                })
            }),
        };
        lift(r, span)
    }

    fn template(&self, parts: &[Part], sc: &Scope, span: Span) -> Res {
        // `"${x}"` alone yields x itself, of any type (Terraform's unwrapping rule).
        if let [Part::Interp(e)] = parts {
            return self.eval(e, sc);
        }
        let mut out = Str::default();
        let mut refs = Vec::new();
        let mut holes = Vec::new();
        let r = self.template_into(parts, sc, &mut out, &mut refs, &mut holes, span)?;
        Ok(finish_template(out, r, refs, holes))
    }

    /// Appends the template's text; `Some(reason)` when part of it is unknown. `holes` gets
    /// where (an offset in `out`) each unknown part is, and its known parts.
    fn template_into(
        &self,
        parts: &[Part],
        sc: &Scope,
        out: &mut Str,
        refs: &mut Vec<Reference>,
        holes: &mut Vec<(usize, Value)>,
        span: Span,
    ) -> Result<Option<String>, Error> {
        // An unknown interpolation makes the string unknown, but later ones are still
        // evaluated to collect the references it is built from.
        let mut pending: Option<String> = None;
        for p in parts {
            match p {
                Part::Literal { text, map } => {
                    out.push_str(&Str::from_source(text.clone(), map.clone()));
                    check_size(out, span)?;
                }
                Part::Interp(e) => {
                    let v = self.eval(e, sc)?;
                    match &v {
                        Value::Reference(r) => refs.push(r.clone()),
                        Value::Unknown(u) => refs.extend(u.derived_from.iter().cloned()),
                        _ => {}
                    }
                    match to_str(&v) {
                        Ok(s) => {
                            out.push_str(&s);
                            check_size(out, span)?;
                        }
                        Err(FnError::Unknown(r)) => {
                            holes.push((out.text.len(), v));
                            pending.get_or_insert(r);
                        }
                        Err(FnError::Error(m)) => {
                            return Err(err(format!("cannot interpolate: {m}"), e.span));
                        }
                    }
                }
                Part::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    let _nest = self.nest(cond.span)?;
                    let c = self.eval(cond, sc)?;
                    let branch = match to_bool(&c) {
                        Ok(true) => then,
                        Ok(false) => otherwise,
                        Err(FnError::Unknown(r)) => {
                            holes.push((out.text.len(), Value::Null));
                            return Ok(Some(r));
                        }
                        Err(FnError::Error(m)) => return Err(err(m, cond.span)),
                    };
                    if let Some(r) = self.template_into(branch, sc, out, refs, holes, span)? {
                        pending.get_or_insert(r);
                    }
                }
                Part::For {
                    key_var,
                    value_var,
                    collection,
                    body,
                } => {
                    let _nest = self.nest(collection.span)?;
                    let coll = self.eval(collection, sc)?;
                    let items: Vec<(Value, Value)> = match coll {
                        Value::List(l) => l
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (Value::Number(i as f64), v))
                            .collect(),
                        Value::Map(m) => m.into_iter().map(|(k, v)| (Value::str(k), v)).collect(),
                        v => match known(&v) {
                            Err(FnError::Unknown(r)) => {
                                holes.push((out.text.len(), Value::Null));
                                return Ok(Some(r));
                            }
                            _ => {
                                return Err(err(
                                    format!(
                                        "a template for cannot iterate over a {}",
                                        v.type_name()
                                    ),
                                    collection.span,
                                ));
                            }
                        },
                    };
                    for (k, v) in items {
                        self.step(span)?;
                        let mut isc = sc.clone();
                        if let Some(kv) = key_var {
                            isc = isc.with(kv, k);
                        }
                        isc = isc.with(value_var, v);
                        if let Some(r) = self.template_into(body, &isc, out, refs, holes, span)? {
                            pending.get_or_insert(r);
                        }
                    }
                }
            }
        }
        Ok(pending)
    }

    /// Resolves `name.steps...`.
    fn traversal(&self, name: &str, steps: &[Step], span: Span, sc: &Scope) -> Res {
        if let Some((_, v)) = sc.vars.iter().rev().find(|(n, _)| n == name) {
            return self.steps(v.clone(), steps, span, sc);
        }
        if sc.isolated {
            return Err(err(
                format!("\"{name}\" is not a variable of this template"),
                span,
            ));
        }
        let attr = |i: usize| -> Option<&str> {
            match steps.get(i) {
                Some(Step::Attr(a)) => Some(a.as_str()),
                _ => None,
            }
        };
        let need = |i: usize, what: &str| -> Result<&str, Error> {
            attr(i).ok_or_else(|| err(format!("\"{name}\" must be followed by {what}"), span))
        };
        let (v, used) = match name {
            "var" => (self.var(sc.inst, need(0, "a variable name")?, span)?, 1),
            "local" => (self.local(sc.inst, need(0, "a local name")?, span)?, 1),
            "module" => {
                let call = need(0, "a module name")?;
                let m = self.inst(sc.inst).module.clone();
                let Some(&ci) = self.index(&m).calls.get(call) else {
                    return Err(err(
                        format!("reference to undeclared module \"{call}\""),
                        span,
                    ));
                };
                let c = &m.calls[ci];
                // `module.m.out` depends on that output only, as in Terraform.
                if c.count.is_none()
                    && c.for_each.is_none()
                    && let Some(out) = attr(1)
                {
                    let kids = self.children(sc.inst, ci);
                    let v = match kids.as_ref() {
                        Ok(k) => match k.first() {
                            Some((_, child)) => self.output(*child, out, span)?,
                            None => Value::Null,
                        },
                        Err(reason) => Value::Unknown(Unknown {
                            reason: reason.clone(),
                            origin: Some(format!(
                                "{}module.{call}.{out}",
                                self.inst(sc.inst).prefix
                            )),
                            ..Unknown::default()
                        }),
                    };
                    return self.steps(v, &steps[2..], span, sc);
                }
                (self.call_value(sc.inst, ci), 1)
            }
            "path" => {
                let mi = self.inst(sc.inst);
                let p = match need(0, "module, root or cwd")? {
                    "module" => relative(&mi.module.dir, &self.root_dir),
                    "root" | "cwd" => ".".to_string(),
                    other => return Err(err(format!("path.{other} does not exist"), span)),
                };
                (Value::str(p), 1)
            }
            "terraform" => match need(0, "workspace")? {
                "workspace" => (Value::str(self.workspace.clone()), 1),
                other => (
                    Value::unknown(format!("terraform.{other} is not modelled")),
                    1,
                ),
            },
            "count" => match (&sc.iter, need(0, "index")?) {
                (Iter::Count(i), "index") => (Value::Number(*i as f64), 1),
                (Iter::Unknown(r), _) => (Value::unknown(r.clone()), 1),
                _ => {
                    return Err(err(
                        "count.index is only valid in a block with count".into(),
                        span,
                    ));
                }
            },
            "each" => match (&sc.iter, need(0, "key or value")?) {
                (Iter::Each(k, _), "key") => (k.clone(), 1),
                (Iter::Each(_, v), "value") => (v.clone(), 1),
                (Iter::Unknown(r), _) => (Value::unknown(r.clone()), 1),
                _ => {
                    return Err(err(
                        "each.key and each.value are only valid with for_each".into(),
                        span,
                    ));
                }
            },
            "self" => (Value::unknown("self is not modelled"), steps.len()),
            // `resource.<type>.<name>` is Terraform's long form of `<type>.<name>`
            // (addrs.ParseRef, `case "resource"`).
            "resource" => {
                let t = need(0, "a resource type")?;
                let n = need(1, "a resource name")?;
                (self.resource_value(sc.inst, false, t, n, span)?, 2)
            }
            "data" => {
                let t = need(0, "a data source type")?;
                let n = need(1, "a data source name")?;
                (self.resource_value(sc.inst, true, t, n, span)?, 2)
            }
            _ => {
                let Some(n) = attr(0) else {
                    return Err(err(format!("unknown variable \"{name}\""), span));
                };
                (self.resource_value(sc.inst, false, name, n, span)?, 1)
            }
        };
        self.steps(v, steps.get(used..).unwrap_or(&[]), span, sc)
    }

    fn steps(&self, mut v: Value, steps: &[Step], span: Span, sc: &Scope) -> Res {
        let mut i = 0;
        while i < steps.len() {
            match &steps[i] {
                Step::Attr(a) => v = get_attr(v, a, span)?,
                Step::Index(ke) => {
                    let k = self.eval(ke, sc)?;
                    v = index(v, &k, ke.span)?;
                }
                splat @ (Step::AttrSplat | Step::FullSplat) => {
                    let end = if matches!(splat, Step::FullSplat) {
                        steps.len()
                    } else {
                        steps[i + 1..]
                            .iter()
                            .position(|s| !matches!(s, Step::Attr(_)))
                            .map_or(steps.len(), |p| p + i + 1)
                    };
                    let _nest = self.nest(span)?;
                    let items = match v {
                        Value::List(l) => l,
                        Value::Null => Vec::new(),
                        // Each element's part is not the input itself.
                        Value::Unknown(mut u) => {
                            u.origin = None;
                            u.partial = None;
                            return Ok(Value::Unknown(u));
                        }
                        Value::Reference(_) => return Ok(v),
                        other => vec![other],
                    };
                    let rest = &steps[i + 1..end];
                    v = Value::List(
                        items
                            .into_iter()
                            .map(|x| self.steps(x, rest, span, sc))
                            .collect::<Result<_, _>>()?,
                    );
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        Ok(v)
    }

    fn call(&self, name: &str, args: &[Expr], expand: bool, span: Span, sc: &Scope) -> Res {
        match name {
            // As in Terraform: a template cannot render templates, so none includes itself.
            "templatefile" if sc.isolated => {
                return Err(err(
                    "templatefile(): cannot recursively call templatefile from inside another templatefile call".into(),
                    span,
                ));
            }
            "try" => {
                let mut last = None;
                for a in args {
                    match self.eval(a, sc) {
                        Ok(v) => return Ok(v),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(err(
                    format!(
                        "try(): no argument could be evaluated{}",
                        last.map_or(String::new(), |e| format!(" (last: {})", e.msg))
                    ),
                    span,
                ));
            }
            "can" => {
                let [a] = args else {
                    return Err(err("can() takes 1 argument".into(), span));
                };
                return Ok(match self.eval(a, sc) {
                    Ok(v) if !v.is_known() => v,
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut vals = Vec::with_capacity(args.len());
        let mut total = 0;
        for a in args {
            let v = self.eval(a, sc)?;
            grow(&mut total, &v, span)?;
            vals.push(v);
        }
        if expand {
            match vals.pop() {
                Some(Value::List(l)) => vals.extend(l),
                Some(v @ (Value::Unknown(_) | Value::Reference(_))) => {
                    return lift(known(&v).cloned(), span);
                }
                Some(_) => {
                    return Err(err(
                        format!("{name}(): only a list can be expanded with ..."),
                        span,
                    ));
                }
                None => {}
            }
        }
        match name {
            "file" | "templatefile" => {
                let v = self.file_call(name, &vals, span)?;
                grow(&mut 0, &v, span)?;
                return Ok(v);
            }
            _ => {}
        }
        match functions::call(name, &vals) {
            Ok(v) => Ok(v),
            // An unknown result is built from the references among its arguments.
            Err(FnError::Unknown(reason)) => {
                let mut refs = Vec::new();
                for v in &vals {
                    collect_references(v, &mut refs);
                }
                Ok(finish_template(
                    Str::default(),
                    Some(reason),
                    refs,
                    Vec::new(),
                ))
            }
            Err(FnError::Error(m)) => Err(err(format!("{name}(): {m}"), span)),
        }
    }

    /// `file(path)` and `templatefile(path, vars)`, relative to the root module directory.
    fn file_call(&self, name: &str, vals: &[Value], span: Span) -> Res {
        let want = if name == "file" { 1 } else { 2 };
        if vals.len() != want {
            return Err(err(format!("{name}() takes {want} argument(s)"), span));
        }
        let p = match to_str(&vals[0]) {
            Ok(s) => s.text,
            Err(FnError::Unknown(r)) => return Ok(Value::unknown(r)),
            Err(FnError::Error(m)) => return Err(err(format!("{name}(): {m}"), span)),
        };
        let path = normalize(&self.root_dir.join(&p));
        let inside = path
            .canonicalize()
            .is_ok_and(|c| self.shared.scan_roots.iter().any(|r| c.starts_with(r)));
        if !inside {
            return Ok(Value::unknown(format!(
                "{name}(\"{p}\"): the file is missing or outside the scanned directory"
            )));
        }
        let (file, text) = match super::read_source(self.shared, &path) {
            Ok(read) => read,
            Err(why) => return Ok(Value::unknown(format!("{name}(\"{p}\"): {why}"))),
        };
        if name == "file" {
            return Ok(Value::String(Str::from_source(
                text.to_string(),
                super::source::OffsetMap::linear(file, 0),
            )));
        }
        let vars = match &vals[1] {
            Value::Map(m) => m.clone(),
            v => {
                if let Err(FnError::Unknown(r)) = known(v) {
                    return Ok(Value::unknown(r));
                }
                return Err(err(
                    "templatefile(): the second argument must be a map".into(),
                    span,
                ));
            }
        };
        let parsed = self
            .templates
            .borrow_mut()
            .entry(path.clone())
            .or_insert_with(|| {
                Rc::new(super::hcl::parse_template(file, &text).map_err(|e| e.message))
            })
            .clone();
        let parts = match parsed.as_ref() {
            Ok(p) => p,
            Err(m) => return Err(err(format!("templatefile(\"{p}\"): {m}"), span)),
        };
        let sc = Scope {
            inst: 0,
            iter: Iter::None,
            vars: vars.into_iter().collect(),
            isolated: true,
        };
        let mut out = Str::default();
        let mut refs = Vec::new();
        let mut holes = Vec::new();
        let r = self.template_into(parts, &sc, &mut out, &mut refs, &mut holes, span)?;
        Ok(finish_template(out, r, refs, holes))
    }
}

/// The result of a conditional, given the other branch's expression: both branches have one
/// type in Terraform. Where that type is plain from the other branch's syntax (a string
/// template, a number or bool literal), a number or bool result becomes a string next to a
/// string, and a number next to a bool is Terraform's "inconsistent result types" error.
fn conditional_type(v: Value, other: &Expr) -> Res {
    let other_kind = match &other.kind {
        ExprKind::Template(p) if !matches!(p.as_slice(), [Part::Interp(_)]) => "string",
        ExprKind::Number(_) => "number",
        ExprKind::Bool(_) => "bool",
        _ => return Ok(v),
    };
    match (&v, other_kind) {
        (Value::Number(_) | Value::Bool(_), "string") => Ok(to_str(&v).map_or(v, Value::String)),
        (Value::Number(_), "bool") | (Value::Bool(_), "number") => Err(err(
            format!(
                "inconsistent conditional result types: a {} and a {other_kind}",
                v.type_name()
            ),
            other.span,
        )),
        _ => Ok(v),
    }
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

fn collect_expansion(
    counted: bool,
    for_each: bool,
    kids: &[(Option<InstanceKey>, usize)],
    object: impl Fn(usize) -> Value,
) -> Value {
    if kids
        .iter()
        .any(|(k, _)| matches!(k, Some(InstanceKey::Unknown)))
    {
        return Value::unknown("the module's instances are not known");
    }
    if counted {
        Value::List(kids.iter().map(|(_, c)| object(*c)).collect())
    } else if for_each {
        Value::Map(
            kids.iter()
                .filter_map(|(k, c)| match k {
                    Some(InstanceKey::Str(s)) => Some((s.clone(), object(*c))),
                    _ => None,
                })
                .collect(),
        )
    } else {
        kids.first().map_or(Value::Null, |(_, c)| object(*c))
    }
}

fn collect_references(v: &Value, out: &mut Vec<Reference>) {
    match v {
        Value::Reference(r) => out.push(r.clone()),
        Value::Unknown(u) => out.extend(u.derived_from.iter().cloned()),
        Value::List(l) => l.iter().for_each(|x| collect_references(x, out)),
        Value::Map(m) => m.values().for_each(|x| collect_references(x, out)),
        _ => {}
    }
}

/// Spans of the elements of literal lists and objects (`alarm_actions[1]`, `tags.Name`).
fn literal_spans(path: &str, e: &Expr, spans: &mut BTreeMap<String, Span>) {
    match &e.kind {
        ExprKind::Tuple(items) => {
            // `["${var.list}"]` is flattened, so its indices are not the value's.
            if let [only] = items.as_slice()
                && let ExprKind::Template(p) = &only.kind
                && matches!(p.as_slice(), [Part::Interp(_)])
            {
                return;
            }
            for (i, item) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                literal_spans(&p, item, spans);
                spans.insert(p, item.span);
            }
        }
        ExprKind::Object(pairs) => {
            for (k, v) in pairs {
                let key = match &k.kind {
                    ExprKind::Var(n) => Some(n.clone()),
                    _ => k.as_literal_str(),
                };
                if let Some(key) = key {
                    let p = format!("{path}.{key}");
                    literal_spans(&p, v, spans);
                    spans.insert(p, v.span);
                }
            }
        }
        _ => {}
    }
}

fn finish_template(
    out: Str,
    unknown: Option<String>,
    mut refs: Vec<Reference>,
    holes: Vec<(usize, Value)>,
) -> Value {
    match unknown {
        None => Value::String(out),
        Some(reason) => {
            refs.sort();
            refs.dedup();
            // The known text between the unknown parts (a hole is text of any length);
            // nothing is known of a value without holes (a function's result).
            let mut partial = Partial::default();
            let mut at = 0;
            for (offset, v) in &holes {
                partial.push_text(out.text.get(at..*offset).unwrap_or_default());
                partial.push_value(v);
                at = *offset;
            }
            partial.push_text(out.text.get(at..).unwrap_or_default());
            Value::Unknown(Unknown {
                reason,
                derived_from: refs,
                partial: (!holes.is_empty() && partial.size() <= Partial::MAX_SIZE)
                    .then_some(partial),
                origin: None,
            })
        }
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

/// Fails when a string being built has grown past [`functions::MAX_VALUE_BYTES`].
fn check_size(s: &Str, span: Span) -> Result<(), Error> {
    if s.size() > functions::MAX_VALUE_BYTES {
        return Err(err(functions::too_large_message("this string"), span));
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

fn get_attr(v: Value, a: &str, span: Span) -> Res {
    match v {
        Value::Map(mut m) => m
            .remove(a)
            .ok_or_else(|| err(format!("this object has no attribute \"{a}\""), span)),
        Value::Resource(r) => Ok(r.get(a)),
        Value::Reference(mut r) => {
            r.attribute = format!("{}.{a}", r.attribute);
            r.partial = None;
            Ok(Value::Reference(r))
        }
        Value::Unknown(mut u) => {
            // A part of an input is another input.
            u.origin = u.origin.map(|o| format!("{o}.{a}"));
            u.partial = None;
            Ok(Value::Unknown(u))
        }
        Value::Null => Err(err(format!("cannot read attribute \"{a}\" of null"), span)),
        v => Err(err(
            format!(
                "cannot read attribute \"{a}\" of a {} (use [*] for each element)",
                v.type_name()
            ),
            span,
        )),
    }
}

fn index(v: Value, k: &Value, span: Span) -> Res {
    if let Err(FnError::Unknown(r)) = known(k) {
        return Ok(Value::unknown(r));
    }
    match v {
        Value::List(mut l) => {
            let i = to_num(k).map_err(|_| err("a list index must be a number".into(), span))?;
            if i < 0.0 || i.fract() != 0.0 || i as usize >= l.len() {
                return Err(err(
                    format!(
                        "index {i} is out of range for a list of {} element(s)",
                        l.len()
                    ),
                    span,
                ));
            }
            Ok(l.swap_remove(i as usize))
        }
        Value::Map(mut m) => {
            let key = to_str(k).map_err(|_| err("a map key must be a string".into(), span))?;
            m.remove(&key.text)
                .ok_or_else(|| err(format!("this map has no key \"{}\"", key.text), span))
        }
        Value::Reference(mut r) => {
            let ks = match k {
                Value::String(s) => format!("[{:?}]", s.text),
                v => format!("[{}]", v.render()),
            };
            r.attribute.push_str(&ks);
            r.partial = None;
            Ok(Value::Reference(r))
        }
        Value::Unknown(mut u) => {
            u.origin = u.origin.map(|o| format!("{o}[{}]", k.render()));
            u.partial = None;
            Ok(Value::Unknown(u))
        }
        Value::Resource(r) => Ok(r.get(&to_str(k).map(|s| s.text).unwrap_or_default())),
        v => Err(err(format!("a {} cannot be indexed", v.type_name()), span)),
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

/// Removes `.` and `..` components without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => match out.components().next_back() {
                Some(std::path::Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(std::path::Component::RootDir | std::path::Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            c => out.push(c),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// `path` relative to `base` (both normalized), `/`-separated; `.` when equal.
pub fn relative(path: &Path, base: &Path) -> String {
    let parts_of = |p: &Path| -> Vec<std::ffi::OsString> {
        normalize(p)
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_owned())
            .collect()
    };
    let p = parts_of(path);
    let b = parts_of(base);
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".into());
    }
    for c in &p[common..] {
        parts.push(c.to_string_lossy().into_owned());
    }
    if parts.is_empty() || parts == ["."] {
        ".".into()
    } else {
        parts.retain(|s| s != ".");
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("patterns/k.tftpl"), Path::new(".")),
            "patterns/k.tftpl"
        );
        assert_eq!(relative(Path::new("./a/b"), Path::new("a")), "b");
        assert_eq!(relative(Path::new("a"), Path::new("a/")), ".");
        assert_eq!(relative(Path::new("x/m"), Path::new("y/z")), "../../x/m");
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
        assert_eq!(normalize(Path::new("../../a")), PathBuf::from("../../a"));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
    }
}
