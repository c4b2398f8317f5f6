//! Turns the monitoring graph into findings: one module per link of the chain, and the
//! coverage check that decides, per control, whether some working chain catches every
//! required event.

mod cause;
mod context;
mod coverage;
mod intent;
mod links;
mod misses;
mod schema;
mod trail;

use crate::rules::Defect;
use std::collections::BTreeSet;

use super::defect::Reach;
use super::{Control, Finding, Level, finding};
use crate::model::Graph;
use crate::rules::ControlStatus;
use crate::terraform::source::SourceMap;

pub use context::{Context, span_location};
pub use schema::check as check_schema;

/// Whether `--rule id` keeps finding `f`, and whether `f` can explain control `id`'s
/// status: it is of that rule or control, or lists it (a topic nobody subscribes to, for the
/// controls whose alarms notify it); for a control, a chain-wide finding that decides every
/// control (a single-region trail fails them all, so `--rule iam-policy-changes` must still
/// say why); and a finding about the configuration (a file that does not load) whatever
/// `id` is.
pub fn concerns(f: &Finding, id: &str, controls: &[Control]) -> bool {
    let reach = Defect::from_id(&f.defect).map(|d| d.doc().reach);
    f.rule == id
        || f.control.as_deref() == Some(id)
        || f.controls.iter().any(|c| c == id)
        || reach == Some(Reach::Configuration)
        || (f.control.is_none()
            && reach == Some(Reach::EveryControl)
            && controls.iter().any(|c| c.id == id))
}

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The controls to check (ids).
    pub selected: Vec<String>,
    /// Report every selected control missing even when there is nothing to check.
    pub require: bool,
    /// The CIS version (`3.0.0`) whose lists of required events apply (`--profile`);
    /// `None`: the newest.
    pub benchmark: Option<String>,
    /// Log groups a trail outside this configuration sends CloudTrail events to.
    pub cloudtrail_log_groups: Vec<String>,
    /// SNS topic ARNs outside this configuration known to have subscribers.
    pub subscribed_topics: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub controls: Vec<(String, ControlStatus)>,
    pub nothing_to_check: bool,
}

/// What every root module of one run shares: the rule data's event catalog and control
/// keywords, and each distinct pattern's analysis and coverage (the same patterns repeat
/// across hundreds of roots in a monorepo).
pub struct RunCache {
    events: BTreeSet<String>,
    coverage: coverage::Shared,
}

impl RunCache {
    pub fn new(controls: &[Control]) -> Self {
        let all: Vec<&Control> = controls.iter().collect();
        RunCache {
            events: context::event_catalog(controls),
            coverage: coverage::Shared::new(&all),
        }
    }
}

pub fn check(
    graph: &Graph,
    sources: &SourceMap,
    controls: &[Control],
    options: &CheckOptions,
    cache: &RunCache,
) -> Outcome {
    let selected: Vec<&Control> = controls
        .iter()
        .filter(|c| options.selected.contains(&c.id))
        .collect();
    let mut ctx = Context::new(sources, &cache.events);
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
    if graph.is_empty() {
        // `--require` on a configuration without any monitoring: every control is missing.
        let mut findings = Vec::new();
        for control in &selected {
            let mut f = context::finding(
                Defect::ControlMissing,
                format!(
                    "`{}` is required, but this configuration has no CloudTrail trail and no metric filter",
                    control.id
                ),
                None,
            );
            f.scope(control);
            f.help = Some(format!(
                "`trailwatch explain {}` shows the Terraform to add",
                control.id
            ));
            findings.push(f);
        }
        return Outcome {
            findings,
            controls: selected
                .iter()
                .map(|c| (c.id.clone(), ControlStatus::Fail))
                .collect(),
            nothing_to_check: false,
        };
    }
    trail::check(graph, &mut ctx);
    let links = links::analyze(graph, &mut ctx, &options.subscribed_topics);
    let all: Vec<&Control> = controls.iter().collect();
    let mut statuses = coverage::check(graph, &mut ctx, &all, &links, options, &cache.coverage);
    not_downloaded(graph, &mut ctx);
    let mut findings = cause::fold(ctx.into_findings());
    if graph.modules_may_monitor() {
        may_be_in_modules(&mut findings, &mut statuses);
    }
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
    let mut findings = one_note_per_cause(findings);
    finding::sort(&mut findings);
    Outcome {
        findings,
        controls: statuses,
        nothing_to_check: false,
    }
}

/// Notes with the same cause (the same message: the unknown value and why) are one note:
/// it keeps the first place, lists the other places as related locations and names every
/// control it leaves unverifiable; a note about several controls is chain-wide (rule
/// `unverifiable`, no control), so `--rule` keeps it for each.
fn one_note_per_cause(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut controls: Vec<Vec<String>> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for f in findings {
        if f.defect == "unverifiable" {
            if let Some(&i) = seen.get(&f.message) {
                let list: &mut Vec<String> = &mut controls[i];
                list.extend(f.control.filter(|c| !list.contains(c)));
                let kept: &mut Finding = &mut out[i];
                if let Some(location) = f.location.filter(|l| {
                    kept.location.as_ref() != Some(l)
                        && !kept.related.iter().any(|r| r.location == *l)
                }) {
                    kept.related.push(super::Related {
                        location,
                        message: format!(
                            "the same for `{}`",
                            f.resource.as_deref().unwrap_or("this resource")
                        ),
                    });
                }
                continue;
            }
            seen.insert(f.message.clone(), out.len());
        }
        controls.push(f.control.iter().cloned().collect());
        out.push(f);
    }
    for (f, controls) in out.iter_mut().zip(controls) {
        if controls.len() > 1 {
            // A note about several controls belongs to none of them: chain-wide, so
            // `--rule` keeps it for each control it leaves open.
            f.rule = "unverifiable".to_string();
            f.control = None;
            f.message.push_str(&format!(
                " (this leaves {} controls unverifiable: {})",
                controls.len(),
                controls.join(", ")
            ));
        }
    }
    out
}

/// One note per module call whose module is not downloaded.
fn not_downloaded(graph: &Graph, ctx: &mut Context) {
    for module in &graph.not_downloaded {
        let instance = module.instance;
        let mut f = context::finding(
            Defect::ModuleNotDownloaded,
            format!(
                "module `{}` comes from `{}`, which is not downloaded: what it creates is not checked",
                instance.address,
                module.source()
            ),
            Some(instance),
        );
        f.location = ctx.block_head(instance);
        f.help = Some(links::NOT_DOWNLOADED_HELP.to_string());
        ctx.push(f);
    }
}

/// What a module that is not downloaded may add is not missing: filters for a control, an
/// alarm on a filter's metric. A control that failed only for want of those is unverifiable.
fn may_be_in_modules(findings: &mut Vec<Finding>, statuses: &mut [(String, ControlStatus)]) {
    const MAY_BE_ADDED: [&str; 2] = ["control-missing", "filter-metric-without-alarm"];
    findings.retain(|f| !MAY_BE_ADDED.contains(&f.defect.as_str()));
    for (control, status) in statuses.iter_mut() {
        let explained = findings.iter().any(|f| {
            f.level == Level::Error
                && (f.control.as_ref() == Some(control) || f.controls.contains(control))
        });
        if *status == ControlStatus::Fail && !explained {
            *status = ControlStatus::Unverifiable;
        }
    }
}
