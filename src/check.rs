//! The `check` pipeline as a library call: discover and load Terraform, build the
//! monitoring graph, check the controls, and gather what a report needs.

use std::path::PathBuf;

use crate::model;
use crate::report::{ControlStatus, Report};
use crate::rules::check::{CheckOptions, check as check_graph};
use crate::rules::{Control, Finding, Level, Location};
use crate::terraform::{self, LoadOptions, Severity as LoadSeverity};

/// Runs the whole analysis. `Err` only for defects of trailwatch itself (rule data).
pub fn check(
    paths: &[PathBuf],
    load: &LoadOptions,
    options: &CheckOptions,
    controls: &[Control],
) -> Report {
    let loaded = terraform::load(paths, load);
    let graph = model::build(&loaded.instances);
    let outcome = check_graph(&graph, &loaded.sources, controls, options);
    let mut findings = outcome.findings;
    for d in &loaded.diagnostics {
        if d.severity == LoadSeverity::Note {
            continue;
        }
        let location = d.span.and_then(|span| {
            let file = loaded.sources.get(span.file)?;
            let range = span.range();
            let end = range.end.min(file.text.len());
            let start = range.start.min(end);
            let (line, column) = file.lines.line_col(&file.text, start);
            let (end_line, end_column) = file.lines.line_col(&file.text, end);
            Some(Location {
                path: file.display.clone(),
                line,
                column,
                end_line,
                end_column,
                start,
                end,
            })
        });
        findings.push(Finding {
            rule: "terraform-syntax".to_string(),
            control: None,
            defect: "terraform-syntax".to_string(),
            level: if d.severity == LoadSeverity::Error {
                Level::Error
            } else {
                Level::Warning
            },
            message: match &d.location {
                Some(l) if location.is_none() => format!("{l}: {}", d.message),
                _ => d.message.clone(),
            },
            location,
            related: Vec::new(),
            help: d.help.clone(),
            fix: None,
            resource: d.location.as_ref().map(|l| l.file.clone()),
        });
    }
    crate::rules::finding::sort(&mut findings);
    let sources = loaded
        .sources
        .files()
        .filter(|(_, f)| {
            findings
                .iter()
                .any(|x| x.location.as_ref().is_some_and(|l| l.path == f.display))
        })
        .map(|(_, f)| (f.display.clone(), f.text.clone()))
        .collect();
    let nothing_to_check = outcome.nothing_to_check && findings.is_empty();
    Report {
        findings,
        controls: outcome.controls,
        sources,
        files: loaded.sources.files().count(),
        nothing_to_check,
    }
}

/// The controls a `--profile` selects: `cis-1.2` … `cis-6.0` (controls of that benchmark
/// version), or `all`.
pub fn profile(name: &str, controls: &[Control]) -> Option<Vec<String>> {
    if name == "all" {
        return Some(controls.iter().map(|c| c.id.clone()).collect());
    }
    let version = name.strip_prefix("cis-")?;
    let full = format!("{version}.0");
    let selected: Vec<String> = controls
        .iter()
        .filter(|c| c.cis.iter().any(|e| e.versions.contains(&full)))
        .map(|c| c.id.clone())
        .collect();
    (!selected.is_empty()).then_some(selected)
}

/// The profile names `--profile` accepts.
pub fn profile_names(controls: &[Control]) -> Vec<String> {
    let mut versions: Vec<String> = controls
        .iter()
        .flat_map(|c| c.cis.iter().flat_map(|e| e.versions.iter()))
        .map(|v| format!("cis-{}", v.trim_end_matches(".0")))
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
