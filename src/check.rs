//! The `check` pipeline as a library call: discover and load Terraform, build the
//! monitoring graph, check the controls, and gather what a report needs.

use std::path::PathBuf;

use crate::model;
use crate::report::Report;
use crate::rules::ControlStatus;
use rayon::prelude::*;

use crate::rules::check::{CheckOptions, RunCache, check as check_graph};
use crate::rules::{Control, Defect, Finding, Location};
use crate::terraform::{self, LoadOptions, Severity as LoadSeverity};

/// Runs the whole analysis. `Err` only for defects of trailwatch itself (rule data).
/// With `plan` (the output of `terraform show -json`), the plan's fully resolved values
/// are checked, mapped back to the `.tf` files under the first path when they are there.
pub fn check(
    paths: &[PathBuf],
    plan: Option<&std::path::Path>,
    load: &LoadOptions,
    options: &CheckOptions,
    controls: &[Control],
) -> Report {
    // On threads with room for the evaluator's nesting bounds and for dropping its values.
    terraform::with_stack(|| check_on_big_stack(paths, plan, load, options, controls))
}

fn check_on_big_stack(
    paths: &[PathBuf],
    plan: Option<&std::path::Path>,
    load: &LoadOptions,
    options: &CheckOptions,
    controls: &[Control],
) -> Report {
    let loaded = match plan {
        Some(plan) => terraform::plan::load_plan(plan, paths.first().map(PathBuf::as_path), load),
        None => terraform::load_only(paths, load, model::is_monitoring_type),
    };
    // Each root module is its own Terraform configuration (its own state): check each
    // on its own, and a control fails when it fails in any root that monitors anything.
    let cache = RunCache::new(controls);
    // Instances are sorted by root: each chunk is one root module, checked in parallel and
    // merged in root order, so the output does not depend on the thread count.
    let chunks: Vec<&[terraform::Instance]> =
        loaded.instances.chunk_by(|a, b| a.root == b.root).collect();
    let outcomes: Vec<(&str, crate::rules::check::Outcome)> = chunks
        .par_iter()
        .map(|chunk| {
            let root = chunk.first().map_or(".", |i| i.root.as_str());
            let graph = model::build(chunk);
            (
                root,
                check_graph(&graph, &loaded.sources, controls, options, &cache),
            )
        })
        .collect();
    // A plan was validated by Terraform, and holds computed attributes besides arguments.
    let (mut findings, mut refused) = match plan {
        Some(_) => (Vec::new(), std::collections::BTreeSet::new()),
        None => schema_findings(&chunks, &loaded.sources),
    };
    // A name declared twice in a root module's own files: Terraform refuses that root too.
    for d in &loaded.diagnostics {
        if d.kind == terraform::DiagKind::Duplicate
            && let Some(l) = &d.location
        {
            let dir = l.file.rsplit_once('/').map_or(".", |(dir, _)| dir);
            refused.insert(dir);
        }
    }
    let mut statuses: Vec<(String, ControlStatus)> = Vec::new();
    let mut nothing = true;
    for (root, outcome) in outcomes {
        if outcome.nothing_to_check {
            continue;
        }
        nothing = false;
        for mut f in outcome.findings {
            if root != "." {
                f.resource = Some(format!("{root}:{}", f.resource.as_deref().unwrap_or("-")));
            }
            findings.push(f);
        }
        let mut controls = outcome.controls;
        // Terraform refuses a root module whose resources break the provider's schema: none
        // of its monitoring is deployed, so none of its controls passes.
        if refused.contains(root) {
            for (_, status) in &mut controls {
                if matches!(*status, ControlStatus::Pass | ControlStatus::Unverifiable) {
                    *status = ControlStatus::Fail;
                }
            }
        }
        merge_statuses(&mut statuses, controls);
    }
    if nothing {
        let empty = model::Graph::default();
        let outcome = check_graph(&empty, &loaded.sources, controls, options, &cache);
        findings.extend(outcome.findings);
        statuses = outcome.controls;
    }
    let outcome_nothing = nothing && !options.require;
    for d in &loaded.diagnostics {
        if d.severity == LoadSeverity::Note {
            continue;
        }
        // Without a span (an unreadable file, a plan that is no plan) the diagnostic still
        // names the file: point at its start, or at the line it gives.
        let location = d
            .span
            .and_then(|span| crate::rules::check::span_location(&loaded.sources, span))
            .or_else(|| {
                d.location.as_ref().map(|l| Location {
                    path: l.file.clone(),
                    line: l.line.max(1),
                    column: l.column.max(1),
                    end_line: l.line.max(1),
                    end_column: l.column.max(1),
                    start: 0,
                    end: 0,
                })
            });
        let related = d
            .related
            .as_ref()
            .and_then(|(span, message)| {
                Some(crate::rules::Related {
                    location: crate::rules::check::span_location(&loaded.sources, *span)?,
                    message: message.clone(),
                })
            })
            .into_iter()
            .collect();
        let mut f = Finding::new(load_defect(d), d.message.clone());
        f.location = location;
        f.related = related;
        f.help = d.help.clone();
        f.resource = d.location.as_ref().map(|l| l.file.clone());
        findings.push(f);
    }
    findings.extend(skipped_files(&loaded, paths));
    // Code scanning needs a location on every result: a finding about the configuration
    // as a whole points at the start of its first file.
    if let Some((_, first)) = loaded.sources.files().next() {
        for f in findings.iter_mut().filter(|f| f.location.is_none()) {
            f.location = Some(Location::in_text(first.display.clone(), &first.text, 0, 0));
        }
    }
    let files: Vec<(&str, &str)> = loaded
        .sources
        .files()
        .map(|(_, f)| (f.display.as_str(), &*f.text))
        .collect();
    let known = crate::rules::defect::rule_ids(controls);
    let not_run: Vec<String> = controls
        .iter()
        .filter(|c| !options.selected.contains(&c.id))
        .map(|c| c.id.clone())
        .collect();
    let problems = crate::rules::suppress::apply(&files, &mut findings, &known, &not_run);
    findings.extend(problems);
    crate::rules::finding::sort(&mut findings);
    let cited: std::collections::HashSet<&str> = findings
        .iter()
        .filter_map(|f| f.location.as_ref().map(|l| l.path.as_str()))
        .collect();
    let sources = loaded
        .sources
        .files()
        .filter(|(_, f)| cited.contains(f.display.as_str()))
        .map(|(_, f)| (f.display.clone(), f.text.to_string()))
        .collect();
    let nothing_to_check = outcome_nothing && findings.is_empty();
    Report {
        findings,
        controls: statuses,
        sources,
        files: loaded.sources.files().count(),
        roots: loaded.roots.clone(),
        skipped: loaded
            .skipped
            .iter()
            .map(|s| (s.path.display().to_string(), s.reason.clone()))
            .collect(),
        nothing_to_check,
        baseline: false,
        base: match paths {
            [only] if only.is_dir() => {
                Some(only.to_string_lossy().trim_start_matches("./").to_string())
            }
            _ => None,
        },
    }
}

/// The defect of a loading diagnostic: its kind, and a value given for a variable nobody
/// declares (the one loading warning that is not a syntax error).
fn load_defect(d: &terraform::Diagnostic) -> Defect {
    match d.kind {
        terraform::DiagKind::Syntax if d.severity == LoadSeverity::Warning => {
            Defect::TerraformUndeclaredVariable
        }
        terraform::DiagKind::Syntax => Defect::TerraformSyntax,
        terraform::DiagKind::Expression => Defect::TerraformExpression,
        terraform::DiagKind::Duplicate => Defect::TerraformDuplicate,
    }
}

/// A `file-skipped` warning for each Terraform file (or directory) met but not analysed,
/// unless it was loaded after all (a module source naming a hidden directory).
fn skipped_files(loaded: &terraform::Loaded, paths: &[PathBuf]) -> Vec<Finding> {
    let base = match paths {
        [only] if only.is_dir() => Some(only.as_path()),
        _ => None,
    };
    loaded
        .skipped
        .iter()
        .filter(|s| s.reported)
        .map(|s| {
            let path = match base {
                Some(base) => terraform::eval::relative(&s.path, base),
                None => s.path.to_string_lossy().replace('\\', "/"),
            };
            let mut f = Finding::new(
                Defect::FileSkipped,
                format!("{path} is not analysed: {}", s.reason),
            );
            f.location = Some(Location {
                path: path.clone(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                start: 0,
                end: 0,
            });
            f.help = Some(
                "monitoring defined there is not checked; `trailwatch explain file-skipped` says what to do".into(),
            );
            f.resource = Some(path);
            f
        })
        .collect()
}

/// Every root's `terraform-schema` findings, once per location and message (a module
/// shared by several roots has its mistakes once), and the roots that have any.
fn schema_findings<'a>(
    chunks: &[&'a [terraform::Instance]],
    sources: &terraform::SourceMap,
) -> (Vec<Finding>, std::collections::BTreeSet<&'a str>) {
    let per_root: Vec<(&str, Vec<Finding>)> = chunks
        .par_iter()
        .map(|chunk| {
            let root = chunk.first().map_or(".", |i| i.root.as_str());
            let mut found = crate::rules::check::check_schema(chunk, sources);
            if root != "." {
                for f in &mut found {
                    f.resource = Some(format!("{root}:{}", f.resource.as_deref().unwrap_or("-")));
                }
            }
            (root, found)
        })
        .collect();
    let refused = per_root
        .iter()
        .filter(|(_, found)| !found.is_empty())
        .map(|(root, _)| *root)
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let findings = per_root
        .into_iter()
        .flat_map(|(_, found)| found)
        .filter(|f| seen.insert((f.location.clone(), f.message.clone())))
        .collect();
    (findings, refused)
}

/// Keeps, per control, the worst status seen in any root.
fn merge_statuses(into: &mut Vec<(String, ControlStatus)>, from: Vec<(String, ControlStatus)>) {
    let rank = |s: ControlStatus| match s {
        ControlStatus::Skipped => 0,
        ControlStatus::Pass => 1,
        ControlStatus::Unverifiable => 2,
        ControlStatus::Fail => 3,
    };
    for (id, status) in from {
        match into.iter_mut().find(|(i, _)| *i == id) {
            Some((_, current)) if rank(status) > rank(*current) => *current = status,
            Some(_) => {}
            None => into.push((id, status)),
        }
    }
}

/// The controls a `--profile` selects: `cis-1.2` … `cis-6.0` (controls of that benchmark
/// version), or `all`.
pub fn profile(name: &str, controls: &[Control]) -> Option<Vec<String>> {
    if name == "all" {
        return Some(controls.iter().map(|c| c.id.clone()).collect());
    }
    let full = profile_version(name)?;
    let selected: Vec<String> = controls
        .iter()
        .filter(|c| c.cis.iter().any(|e| e.versions.contains(&full)))
        .map(|c| c.id.clone())
        .collect();
    (!selected.is_empty()).then_some(selected)
}

/// The CIS version whose event lists a `--profile` requires (`cis-3.0` → `3.0.0`);
/// `None` for `all` (the newest lists).
pub fn profile_version(name: &str) -> Option<String> {
    name.strip_prefix("cis-").map(|v| format!("{v}.0"))
}

/// The profile names `--profile` accepts.
pub fn profile_names(controls: &[Control]) -> Vec<String> {
    let mut versions: Vec<String> = controls
        .iter()
        .flat_map(|c| c.cis.iter().flat_map(|e| e.versions.iter()))
        .map(|v| format!("cis-{}", v.strip_suffix(".0").unwrap_or(v)))
        .collect();
    versions.sort();
    versions.dedup();
    versions.push("all".to_string());
    versions
}

impl Report {
    /// True when some selected control did not pass.
    pub fn any_failed(&self) -> bool {
        self.controls.iter().any(|(_, s)| *s == ControlStatus::Fail)
    }
}
