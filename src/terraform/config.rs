//! One module (a directory) as declared: variables, locals, outputs, resources, module calls.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::ast::{Attribute, Body, Expr};
use super::source::{FileId, Span};

#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub default: Option<Expr>,
    pub ty: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ResourceBlock {
    pub data: bool,
    pub rtype: String,
    pub name: String,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// The body without meta-arguments.
    pub body: Body,
    pub span: Span,
}

impl ResourceBlock {
    /// `aws_x.y` or `data.aws_x.y`
    pub fn config_address(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.rtype, self.name)
        } else {
            format!("{}.{}", self.rtype, self.name)
        }
    }
}

#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    pub source: Option<String>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    pub inputs: Vec<Attribute>,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct Module {
    /// The directory, as found (not canonicalized).
    pub dir: PathBuf,
    pub files: Vec<FileId>,
    pub variables: BTreeMap<String, Variable>,
    pub locals: BTreeMap<String, Attribute>,
    pub outputs: BTreeMap<String, Attribute>,
    pub resources: Vec<ResourceBlock>,
    pub calls: Vec<ModuleCall>,
    /// Where each named declaration (`resource.aws_x.y`, `local.z`, …) was first made, to
    /// tell a duplicate.
    declared: BTreeMap<String, Span>,
}

/// A name declared twice in one module: Terraform refuses the module. The second
/// definition is ignored, so the first is what gets checked.
#[derive(Debug, Clone)]
pub struct Duplicate {
    /// The second definition.
    pub span: Span,
    /// The first.
    pub first: Span,
    /// `resource "aws_cloudtrail" "x"`, `local value "name"`, …
    pub what: String,
}

/// A module source that is a local path: Terraform's rule is a leading `./` or `../`.
pub fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// Meta-arguments of resource and module blocks that are not attributes of the object.
const META: &[&str] = &["count", "for_each", "depends_on", "provider", "providers"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

impl Module {
    pub fn new(dir: PathBuf) -> Module {
        Module {
            dir,
            ..Module::default()
        }
    }

    /// Adds the top-level blocks of one file; returns the names it declares a second time.
    pub fn add_file(&mut self, file: FileId, body: Body) -> Vec<Duplicate> {
        self.files.push(file);
        let mut duplicates = Vec::new();
        for block in body.blocks {
            let span = block.span;
            let key = match (block.kind.as_str(), block.labels.as_slice()) {
                ("variable" | "output" | "module", [name]) => Some((
                    format!("{} {name}", block.kind),
                    format!("{} \"{name}\"", block.kind),
                )),
                ("resource" | "data", [rtype, name]) => Some((
                    format!("{} {rtype} {name}", block.kind),
                    format!("{} \"{rtype}\" \"{name}\"", block.kind),
                )),
                _ => None,
            };
            if let Some((key, what)) = key
                && let Some(dup) = self.declare(key, what, span)
            {
                duplicates.push(dup);
                continue;
            }
            match (block.kind.as_str(), block.labels.as_slice()) {
                ("variable", [name]) => {
                    let name = name.clone();
                    self.variables.insert(
                        name.clone(),
                        Variable {
                            name,
                            default: block.body.attr("default").map(|a| a.expr.clone()),
                            ty: block.body.attr("type").map(|a| a.expr.clone()),
                            span,
                        },
                    );
                }
                ("locals", []) => {
                    for a in block.body.attributes {
                        let what = format!("local value \"{}\"", a.name);
                        match self.declare(format!("local {}", a.name), what, a.span) {
                            Some(dup) => duplicates.push(dup),
                            None => {
                                self.locals.insert(a.name.clone(), a);
                            }
                        }
                    }
                }
                ("output", [name]) => {
                    if let Some(v) = block
                        .body
                        .attributes
                        .into_iter()
                        .find(|a| a.name == "value")
                    {
                        self.outputs.insert(name.clone(), v);
                    }
                }
                ("resource" | "data", [rtype, name]) => {
                    let mut body = block.body;
                    let count = take(&mut body, "count");
                    let for_each = take(&mut body, "for_each");
                    body.attributes.retain(|a| !META.contains(&a.name.as_str()));
                    body.blocks
                        .retain(|b| !META_BLOCKS.contains(&b.kind.as_str()));
                    self.resources.push(ResourceBlock {
                        data: block.kind == "data",
                        rtype: rtype.clone(),
                        name: name.clone(),
                        count,
                        for_each,
                        body,
                        span,
                    });
                }
                ("module", [name]) => {
                    let mut body = block.body;
                    let count = take(&mut body, "count");
                    let for_each = take(&mut body, "for_each");
                    let source = take(&mut body, "source").and_then(|e| e.as_literal_str());
                    body.attributes
                        .retain(|a| !META.contains(&a.name.as_str()) && a.name != "version");
                    self.calls.push(ModuleCall {
                        name: name.clone(),
                        source,
                        count,
                        for_each,
                        inputs: body.attributes,
                        span,
                    });
                }
                _ => {}
            }
        }
        duplicates
    }

    /// Records a declaration; a second one of the same key is a duplicate.
    fn declare(&mut self, key: String, what: String, span: Span) -> Option<Duplicate> {
        match self.declared.get(&key) {
            Some(first) => Some(Duplicate {
                span,
                first: *first,
                what,
            }),
            None => {
                self.declared.insert(key, span);
                None
            }
        }
    }

    /// Merges the top-level blocks of an override file (`override.tf`, `*_override.tf`) into
    /// the declarations, as Terraform does after loading every other file: an attribute
    /// replaces the one of the same name, nested blocks replace all blocks of their type,
    /// locals merge one by one. Returns what Terraform rejects: blocks that have nothing to
    /// override, and `depends_on` in a resource, data or output override.
    pub fn add_override(&mut self, body: Body) -> Vec<(Span, String)> {
        let mut orphans = Vec::new();
        for block in body.blocks {
            let span = block.span;
            if matches!(block.kind.as_str(), "resource" | "data" | "output")
                && let Some(a) = block.body.attr("depends_on")
            {
                orphans.push((
                    a.span,
                    "`depends_on` may not be used in an override block: Terraform rejects it"
                        .into(),
                ));
            }
            let merged = match (block.kind.as_str(), block.labels.as_slice()) {
                ("variable", [name]) => self.variables.get_mut(name).map(|v| {
                    if let Some(a) = block.body.attr("default") {
                        v.default = Some(a.expr.clone());
                    }
                    if let Some(a) = block.body.attr("type") {
                        v.ty = Some(a.expr.clone());
                    }
                }),
                ("locals", []) => {
                    for a in block.body.attributes {
                        match self.locals.get_mut(&a.name) {
                            Some(local) => *local = a,
                            None => orphans.push((
                                a.span,
                                format!("override of local.{} has no local value to override: Terraform rejects it", a.name),
                            )),
                        }
                    }
                    Some(())
                }
                ("output", [name]) => self.outputs.get_mut(name).map(|o| {
                    if let Some(v) = block
                        .body
                        .attributes
                        .into_iter()
                        .find(|a| a.name == "value")
                    {
                        *o = v;
                    }
                }),
                ("resource" | "data", [rtype, name]) => {
                    let data = block.kind == "data";
                    self.resources
                        .iter_mut()
                        .find(|r| r.data == data && &r.rtype == rtype && &r.name == name)
                        .map(|r| {
                            let mut body = block.body;
                            override_expansion(&mut body, &mut r.count, &mut r.for_each);
                            body.attributes.retain(|a| !META.contains(&a.name.as_str()));
                            body.blocks
                                .retain(|b| !META_BLOCKS.contains(&b.kind.as_str()));
                            merge_body(&mut r.body, body);
                        })
                }
                ("module", [name]) => self.calls.iter_mut().find(|c| &c.name == name).map(|c| {
                    let mut body = block.body;
                    if let Some(source) = take(&mut body, "source") {
                        c.source = source.as_literal_str();
                    }
                    override_expansion(&mut body, &mut c.count, &mut c.for_each);
                    body.attributes
                        .retain(|a| !META.contains(&a.name.as_str()) && a.name != "version");
                    merge_attributes(&mut c.inputs, body.attributes);
                }),
                // Provider, terraform and other blocks do not change what is evaluated.
                _ => Some(()),
            };
            if merged.is_none() {
                let header = std::iter::once(block.kind.clone())
                    .chain(block.labels.iter().map(|l| format!("\"{l}\"")))
                    .collect::<Vec<_>>()
                    .join(" ");
                orphans.push((
                    span,
                    format!("override block `{header}` has no block of that name to override: Terraform rejects it"),
                ));
            }
        }
        orphans
    }

    /// Sorts declarations so evaluation order does not depend on file order.
    pub fn finish(&mut self) {
        self.resources
            .sort_by(|a, b| (a.data, &a.rtype, &a.name).cmp(&(b.data, &b.rtype, &b.name)));
        self.calls.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// Terraform's merge of an override body: attributes replace those of the same name; the
/// blocks of each type the override has (`dynamic "x"` counts as `x`) replace all of theirs.
fn merge_body(base: &mut Body, over: Body) {
    merge_attributes(&mut base.attributes, over.attributes);
    let replaced: Vec<String> = over
        .blocks
        .iter()
        .map(|b| block_type(b).to_string())
        .collect();
    base.blocks
        .retain(|b| !replaced.iter().any(|t| t == block_type(b)));
    base.blocks.extend(over.blocks);
}

/// Each attribute of `over` replaces the one of the same name in `base`, or is added.
fn merge_attributes(base: &mut Vec<Attribute>, over: Vec<Attribute>) {
    for a in over {
        match base.iter_mut().find(|b| b.name == a.name) {
            Some(b) => *b = a,
            None => base.push(a),
        }
    }
}

/// An override's `count` and `for_each` replace the original's.
fn override_expansion(body: &mut Body, count: &mut Option<Expr>, for_each: &mut Option<Expr>) {
    if let Some(c) = take(body, "count") {
        *count = Some(c);
    }
    if let Some(f) = take(body, "for_each") {
        *for_each = Some(f);
    }
}

fn block_type(block: &super::ast::Block) -> &str {
    match (block.kind.as_str(), block.labels.first()) {
        ("dynamic", Some(label)) => label,
        (kind, _) => kind,
    }
}

fn take(body: &mut Body, name: &str) -> Option<Expr> {
    let i = body.attributes.iter().position(|a| a.name == name)?;
    Some(body.attributes.remove(i).expr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::hcl::parse_body;

    fn module(files: &[(&str, bool)]) -> (Module, Vec<Duplicate>, Vec<(Span, String)>) {
        let mut m = Module::new(PathBuf::from("."));
        let mut duplicates = Vec::new();
        let mut orphans = Vec::new();
        for (i, (text, is_override)) in files.iter().enumerate() {
            let id = FileId(u32::try_from(i).expect("few files"));
            let body = parse_body(id, text).expect("parses");
            if *is_override {
                orphans.extend(m.add_override(body));
            } else {
                duplicates.extend(m.add_file(id, body));
            }
        }
        (m, duplicates, orphans)
    }

    #[test]
    fn a_name_declared_twice_is_a_duplicate_and_the_first_is_kept() {
        let (m, dups, _) = module(&[
            (
                "resource \"aws_cloudtrail\" \"x\" { name = \"a\" }\nlocals { l = 1 }\nvariable \"v\" {}\n",
                false,
            ),
            (
                "resource \"aws_cloudtrail\" \"x\" { name = \"b\" }\nlocals { l = 2 }\nvariable \"v\" {}\noutput \"o\" { value = 1 }\noutput \"o\" { value = 2 }\nmodule \"m\" { source = \"./m\" }\nmodule \"m\" { source = \"./m\" }\ndata \"aws_x\" \"d\" {}\ndata \"aws_x\" \"d\" {}\nresource \"aws_x\" \"d\" {}\n",
                false,
            ),
        ]);
        let what: Vec<&str> = dups.iter().map(|d| d.what.as_str()).collect();
        assert_eq!(
            what,
            [
                "resource \"aws_cloudtrail\" \"x\"",
                "local value \"l\"",
                "variable \"v\"",
                "output \"o\"",
                "module \"m\"",
                "data \"aws_x\" \"d\""
            ]
        );
        assert!(
            dups.iter().all(
                |d| d.first.file != d.span.file || d.first.range().start < d.span.range().start
            )
        );
        // The first definition is the one evaluated; a resource and a data source of the same
        // names are not duplicates.
        assert_eq!(m.resources.len(), 3);
        assert_eq!(m.calls.len(), 1);
        let name = m.resources[0]
            .body
            .attr("name")
            .and_then(|a| a.expr.as_literal_str());
        assert_eq!(name.as_deref(), Some("a"));
    }

    #[test]
    fn override_files_merge_without_duplicates() {
        let (m, dups, orphans) = module(&[
            (
                "resource \"aws_sns_topic\" \"t\" { name = \"a\" }\nlocals { l = 1 }\n",
                false,
            ),
            (
                "resource \"aws_sns_topic\" \"t\" { name = \"b\" }\nlocals { l = 2 }\n",
                true,
            ),
            (
                "resource \"aws_sns_topic\" \"t\" { display_name = \"c\" }\n",
                true,
            ),
        ]);
        assert!(dups.is_empty());
        assert!(orphans.is_empty());
        assert_eq!(m.resources.len(), 1);
        let name = m.resources[0]
            .body
            .attr("name")
            .and_then(|a| a.expr.as_literal_str());
        assert_eq!(name.as_deref(), Some("b"));
    }
}
