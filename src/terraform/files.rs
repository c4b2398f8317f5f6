//! The files of a module directory: read (bounded, inside the repository), counted, parsed
//! and assembled into a [`Module`], with their syntax errors as diagnostics.

use super::*;

pub(super) enum Parsed {
    Config(Body),
    Vars(Vec<Attribute>),
}

/// A parsed file and its syntax errors (byte offset, message).
pub(super) type ParsedFile = (Option<Parsed>, Vec<(usize, String)>);

/// A load problem of kind `terraform-syntax`.
pub(super) fn load_diag(message: String, help: Option<String>, span: Option<Span>) -> EvalDiag {
    EvalDiag {
        severity: Severity::Error,
        message,
        help,
        span,
        kind: DiagKind::Syntax,
        related: None,
    }
}

/// The syntax nodes of a file of the tree, counted up to one past [`nodes::MAX_FILE_NODES`]
/// (a file refused for its size holds no tree, but it is refused either way).
pub(super) fn syntax_nodes(text: &str) -> usize {
    nodes::count_hcl(text, false, nodes::MAX_FILE_NODES).unwrap_or(nodes::MAX_FILE_NODES + 1)
}

/// Reads a Terraform, tfvars or manifest file, bounded (see [`discover::read`]).
pub(super) fn read_text(path: &Path, origin: Origin) -> Result<String, String> {
    discover::read::read_text(path, origin, discover::read::MAX_FILE_BYTES)
}

/// Parses a file's text; errors come back as (byte offset, message).
pub(super) fn parse_text(file: FileId, kind: FileKind, text: &str) -> ParsedFile {
    let mut diags = Vec::new();
    // The JSON tree is ours (hcl-edit's parsers take their own turn), kept while lowered.
    let _turn = matches!(kind, FileKind::Json | FileKind::TfvarsJson)
        .then(|| nodes::one_large_at_a_time(text));
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
pub(super) fn quoted_block_type(text: &str, offset: usize) -> Option<&str> {
    let rest = text.get(offset..)?.strip_prefix('"')?;
    let (name, after) = rest.split_once('"')?;
    let is_ident = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (is_ident && after.trim_start_matches([' ', '\t']).starts_with('{')).then_some(name)
}

pub(super) fn display_for(base: Option<&Path>, path: &Path) -> String {
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
pub(super) fn repositories(shared: &Shared) -> Vec<PathBuf> {
    shared
        .scan_roots
        .iter()
        .filter_map(|r| discover::read::repository_root(r))
        .collect()
}

/// Records a file or module directory that is not analysed, as a `file-skipped` finding.
pub(super) fn skip(shared: &Shared, skipped: Skipped) {
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
pub(super) fn syntax_errors(
    file: FileId,
    errors: Vec<(usize, String)>,
) -> impl Iterator<Item = EvalDiag> {
    errors.into_iter().map(move |(off, message)| {
        load_diag(
            message,
            Some("this file is skipped; the other files are still analyzed".into()),
            Some(Span::new(file, off..off)),
        )
    })
}

/// One configuration file of a module directory, read.
pub(super) struct ModuleFile {
    id: FileId,
    kind: FileKind,
    text: Arc<str>,
    is_override: bool,
}

/// `override.tf`, `x_override.tf` and their `.tf.json` forms.
pub(super) fn is_override(name: &str) -> bool {
    let stem = name
        .strip_suffix(".tf.json")
        .or_else(|| name.strip_suffix(".tf"))
        .unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

/// The configuration files of a directory discovery did not cover, sorted by name. A
/// directory that resolves (symbolic links included) outside the repository is refused;
/// so is each file that cannot be read; both are recorded as skipped.
pub(super) fn undiscovered_config_files(shared: &Shared, dir: &Path) -> Option<Vec<ModuleFile>> {
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
