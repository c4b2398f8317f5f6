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

    /// Adds the top-level blocks of one file.
    pub fn add_file(&mut self, file: FileId, body: Body) {
        self.files.push(file);
        for block in body.blocks {
            let span = block.span;
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
                        self.locals.insert(a.name.clone(), a);
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
    }

    /// Sorts declarations so evaluation order does not depend on file order.
    pub fn finish(&mut self) {
        self.resources
            .sort_by(|a, b| (a.data, &a.rtype, &a.name).cmp(&(b.data, &b.rtype, &b.name)));
        self.calls.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

fn take(body: &mut Body, name: &str) -> Option<Expr> {
    let i = body.attributes.iter().position(|a| a.name == name)?;
    Some(body.attributes.remove(i).expr)
}
