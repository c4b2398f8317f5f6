//! Loading a tree: discovery, reading, the schedule that evaluates each root as soon as its
//! directory is parsed, variables from `.tfvars` and the command line, and the merge of every
//! root's instances and diagnostics.

use super::*;

/// A diagnostic, and a file to name when it has no span.
pub(super) type RawDiag = (EvalDiag, Option<String>);

/// Local module sources (`"./x"`, `"../x"`) mentioned in a file, found by a byte scan
/// before parsing. It only decides which directories are kept parsed for their callers
/// and evaluated last; a source it misses costs a second parse, never a wrong result.
pub(super) fn likely_local_sources(text: &str) -> impl Iterator<Item = &str> {
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
pub(super) fn modules_json(shared: &Shared, root: &Path) -> HashMap<String, PathBuf> {
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
pub(super) fn selected_workspace(shared: &Shared, root: &Path) -> String {
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

/// The files of one directory, by kind.
#[derive(Default)]
pub(super) struct DirFiles {
    config: Vec<(FileId, FileKind)>,
    /// `.tfvars` files: name, id, kind.
    vars: Vec<(String, FileId, FileKind)>,
}

/// A directory after the first pass: where its local module calls go, its `.tfvars`, and
/// its evaluation as a root if it was evaluated then.
pub(super) struct DirPass {
    dir: PathBuf,
    has_config: bool,
    calls: Vec<PathBuf>,
    tfvars: Vec<(String, Vec<Attribute>)>,
    evaluated: Option<RootResult>,
}

pub(super) type RootResult = (String, Vec<eval::InstanceOut>, Vec<EvalDiag>);

pub(super) fn load_inner(
    paths: &[PathBuf],
    options: &LoadOptions,
    keep: fn(&str) -> bool,
) -> Loaded {
    let discovery = discover::discover(paths);
    let display_base = match paths {
        [p] if p.is_dir() => Some(p.clone()),
        [p] => p.parent().map(Path::to_path_buf),
        _ => None,
    };
    let files = discovery.files;

    // Read (and count syntax nodes) in parallel; file ids are the sorted discovery order,
    // so they are stable.
    let texts: Vec<Result<(Arc<str>, usize), String>> = files
        .par_iter()
        .map(|f| {
            read_text(&f.path, Origin::Tree).map(|t| {
                let nodes = syntax_nodes(&t);
                (Arc::from(t), nodes)
            })
        })
        .collect();
    let mut total_nodes = 0usize;

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
        // A file that would take the run past its node budget is not kept: its tree would
        // not fit (a smaller file after it still may).
        let text = text.and_then(|(text, nodes)| {
            if total_nodes.saturating_add(nodes) > nodes::MAX_TOTAL_NODES {
                return Err(nodes::total_message());
            }
            total_nodes += nodes;
            Ok(text)
        });
        let text = match text {
            Ok(text) => text,
            // Terraform refuses a file that is not UTF-8 too: a syntax error, as is a file
            // past the node budget. Any other reason (permissions, size) is trailwatch's:
            // the file is skipped, with it.
            Err(e) if e == discover::read::NOT_UTF8 || e == nodes::total_message() => {
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
pub(super) fn local_calls(module: &Module) -> Vec<PathBuf> {
    module
        .calls
        .iter()
        .filter_map(|c| c.source.as_deref())
        .filter(|s| config::is_local_source(s))
        .map(|s| normalize(&module.dir.join(s)))
        .collect()
}

/// Parses a directory's `.tfvars` files, reporting their syntax errors.
pub(super) fn parse_tfvars(
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
pub(super) fn root_vars(
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
pub(super) fn command_line_vars(
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
