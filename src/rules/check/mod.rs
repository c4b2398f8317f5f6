//! Turns the monitoring graph into findings: one module per link of the chain, and the
//! coverage check that decides, per control, whether some working chain catches every
//! required event.

mod context;
mod coverage;
mod links;
mod trail;

use std::collections::BTreeSet;

use super::{Control, Finding, finding};
use crate::model::Graph;
use crate::report::ControlStatus;
use crate::terraform::source::SourceMap;

pub use context::Context;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The controls to check (ids); all when empty.
    pub selected: Vec<String>,
    /// Report every selected control missing even when there is nothing to check.
    pub require: bool,
    /// Log groups a trail outside this configuration sends CloudTrail events to.
    pub cloudtrail_log_groups: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub controls: Vec<(String, ControlStatus)>,
    pub nothing_to_check: bool,
}

pub fn check(
    graph: &Graph,
    sources: &SourceMap,
    controls: &[Control],
    options: &CheckOptions,
) -> Outcome {
    let selected: Vec<&Control> = controls
        .iter()
        .filter(|c| options.selected.is_empty() || options.selected.contains(&c.id))
        .collect();
    let mut ctx = Context::new(sources, controls);
    if graph.is_empty() && !options.require {
        return Outcome {
            findings: Vec::new(),
            controls: selected
                .iter()
                .map(|c| (c.id.clone(), ControlStatus::Skipped))
                .collect(),
            nothing_to_check: true,
        };
    }
    trail::check(graph, &mut ctx);
    let links = links::analyze(graph, &mut ctx, &selected);
    let statuses = coverage::check(graph, &mut ctx, &selected, &links, options);
    let mut findings = ctx.into_findings();
    // The same link can be reached through several controls: report it once.
    let mut seen = BTreeSet::new();
    findings.retain(|f| {
        seen.insert((
            f.rule.clone(),
            f.defect.clone(),
            f.resource.clone(),
            f.message.clone(),
        ))
    });
    finding::sort(&mut findings);
    Outcome {
        findings,
        controls: statuses,
        nothing_to_check: false,
    }
}
