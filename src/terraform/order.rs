//! The order in which to evaluate a module's resources and locals so that each finds what
//! it refers to already evaluated, as Terraform walks its graph. The evaluator is lazy and
//! memoized, so any order gives the same values; this one keeps its recursion shallow: a
//! chain of 100,000 resources each naming the one before, evaluated in name order
//! (`r10000` before `r9999`), would otherwise recurse 100,000 deep.

use std::collections::HashMap;

use super::ast::{Body, Expr, ExprKind, Part, Step};
use super::config::Module;

/// Something to evaluate: a resource (by index) or a local (by name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    Resource(usize),
    Local(String),
}

/// Every resource of `m` and every local they need, each after the ones it refers to
/// (cycles broken anywhere: the evaluator reports them). `resources` finds a resource by
/// `(data, type, name)`.
pub fn evaluation_order(
    m: &Module,
    resources: &HashMap<(bool, String, String), usize>,
) -> Vec<Node> {
    let deps = |n: &Node| -> Vec<Node> {
        let mut names = Vec::new();
        match n {
            Node::Resource(i) => {
                let r = &m.resources[*i];
                for e in r.count.iter().chain(&r.for_each) {
                    expr_refs(e, &mut names);
                }
                body_refs(&r.body, &mut names);
            }
            Node::Local(l) => {
                if let Some(a) = m.locals.get(l) {
                    expr_refs(&a.expr, &mut names);
                }
            }
        }
        names
            .into_iter()
            .filter_map(|(root, a, b)| match root.as_str() {
                "local" => a.filter(|a| m.locals.contains_key(a)).map(Node::Local),
                "data" => resources.get(&(true, a?, b?)).map(|i| Node::Resource(*i)),
                "var" | "module" | "path" | "terraform" | "count" | "each" | "self" => None,
                _ => resources
                    .get(&(false, root, a?))
                    .map(|i| Node::Resource(*i)),
            })
            .collect()
    };
    let roots = (0..m.resources.len()).map(Node::Resource);
    // Iterative depth-first search, post-order: a node is emitted once its dependencies are.
    let mut state: HashMap<Node, bool> = HashMap::new(); // false: on the stack, true: emitted
    let mut order = Vec::new();
    for root in roots {
        if state.contains_key(&root) {
            continue;
        }
        let mut stack: Vec<(Node, Vec<Node>)> = Vec::new();
        state.insert(root.clone(), false);
        let d = deps(&root);
        stack.push((root, d));
        while let Some((node, pending)) = stack.last_mut() {
            match pending.pop() {
                Some(next) if !state.contains_key(&next) => {
                    state.insert(next.clone(), false);
                    let d = deps(&next);
                    stack.push((next, d));
                }
                Some(_) => {}
                None => {
                    state.insert(node.clone(), true);
                    order.push(node.clone());
                    stack.pop();
                }
            }
        }
    }
    order
}

/// `(root, first attribute, second attribute)` of every traversal in `e`.
type Names = Vec<(String, Option<String>, Option<String>)>;

fn body_refs(b: &Body, out: &mut Names) {
    for a in &b.attributes {
        expr_refs(&a.expr, out);
    }
    for block in &b.blocks {
        body_refs(&block.body, out);
    }
}

fn expr_refs(e: &Expr, out: &mut Names) {
    match &e.kind {
        ExprKind::Var(v) => out.push((v.clone(), None, None)),
        ExprKind::Traversal(root, steps) => {
            if let ExprKind::Var(v) = &root.kind {
                let attr = |i: usize| match steps.get(i) {
                    Some(Step::Attr(a)) => Some(a.clone()),
                    _ => None,
                };
                out.push((v.clone(), attr(0), attr(1)));
            } else {
                expr_refs(root, out);
            }
            for s in steps {
                if let Step::Index(i) = s {
                    expr_refs(i, out);
                }
            }
        }
        ExprKind::Template(parts) => parts_refs(parts, out),
        ExprKind::Tuple(items) => items.iter().for_each(|i| expr_refs(i, out)),
        ExprKind::Object(pairs) => pairs.iter().for_each(|(k, v)| {
            expr_refs(k, out);
            expr_refs(v, out);
        }),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| expr_refs(a, out)),
        ExprKind::Cond(c, t, f) => [c, t, f].iter().for_each(|x| expr_refs(x, out)),
        ExprKind::Unary(_, x) => expr_refs(x, out),
        ExprKind::Binary(_, a, b) => {
            expr_refs(a, out);
            expr_refs(b, out);
        }
        ExprKind::For(f) => {
            expr_refs(&f.collection, out);
            for x in f.key.iter().chain([&f.value]).chain(&f.cond) {
                expr_refs(x, out);
            }
        }
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Invalid(_) => {}
    }
}

fn parts_refs(parts: &[Part], out: &mut Names) {
    for p in parts {
        match p {
            Part::Literal { .. } => {}
            Part::Interp(e) => expr_refs(e, out),
            Part::If {
                cond,
                then,
                otherwise,
            } => {
                expr_refs(cond, out);
                parts_refs(then, out);
                parts_refs(otherwise, out);
            }
            Part::For {
                collection, body, ..
            } => {
                expr_refs(collection, out);
                parts_refs(body, out);
            }
        }
    }
}
