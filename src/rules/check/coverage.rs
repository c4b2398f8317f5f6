//! Per control: does the union of the filters on a CloudTrail log group, whose metric has
//! a working alarm, match every required event? If not, say which link is broken.

use crate::rules::Defect;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use super::CheckOptions;
use super::context::{Context, finding};
use super::intent::{carried, custom_monitoring, marks, name_hints};
use super::links::{FilterLink, State};
use super::misses::{covered_elsewhere, misses_events, newer_events, pattern_fix, unknown_pattern};
use crate::model::{Filter, Graph, Target};
use crate::pattern::ast::Pattern;
use crate::pattern::{Analysis, LogEvent, analyze};
use crate::rules::ControlStatus;
use crate::rules::{Control, Finding, Level, Related};
use crate::terraform::value::Str;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum OnTrail {
    Yes,
    No,
    Maybe,
}

pub(super) struct Parsed {
    pub(super) text: Str,
    pub(super) analysis: Arc<Analysis>,
}

/// Why PutMetricFilter would refuse this pattern, if it would: a syntax error, or a
/// documented limit (length, regex count, wildcard selectors, unquoted characters). A
/// refused filter is never created, so `terraform apply` fails and it catches nothing.
pub(super) fn rejection(analysis: &Analysis) -> Option<&crate::pattern::PatternDiagnostic> {
    analysis.refusal()
}

/// One distinct pattern text: its analysis, and which required events of each control
/// it matches.
struct Memo {
    analysis: Arc<Analysis>,
    matched: Vec<BTreeSet<usize>>,
}

/// Computed once per run and shared by every root module (and thread).
pub struct Shared {
    /// Per control, what sets it apart from every other control (see `marks`).
    marks: Vec<Vec<String>>,
    memo: Mutex<HashMap<String, Arc<Memo>>>,
}

impl Shared {
    pub fn new(controls: &[&Control]) -> Self {
        Shared {
            marks: marks(controls),
            memo: Mutex::new(HashMap::new()),
        }
    }

    fn memo(&self, text: &str, controls: &[&Control]) -> Arc<Memo> {
        if let Some(hit) = self.memo.lock().ok().and_then(|m| m.get(text).cloned()) {
            return hit;
        }
        let analysis = Arc::new(analyze(text));
        let accepted = rejection(&analysis).is_none();
        let matched = controls
            .iter()
            .map(|c| match analysis.pattern.as_ref().filter(|_| accepted) {
                Some(pattern) => events(&c.must_match)
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, e))| pattern.matches(e))
                    .map(|(i, _)| i)
                    .collect(),
                None => BTreeSet::new(),
            })
            .collect();
        let memo = Arc::new(Memo { analysis, matched });
        if let Ok(mut map) = self.memo.lock() {
            map.insert(text.to_string(), memo.clone());
        }
        memo
    }
}

pub(super) fn events(samples: &[crate::rules::catalog::Sample]) -> Vec<(&str, &LogEvent)> {
    samples
        .iter()
        .filter_map(|s| s.event().map(|e| (s.event.as_str(), e)))
        .collect()
}

/// What the coverage check found for control `c`: the filters meant for it, their
/// parsed patterns, and the required events each matches.
#[derive(Clone, Copy)]
pub(super) struct Found<'a, 'p> {
    pub(super) intended: &'a [usize],
    pub(super) parsed: &'a [Option<Parsed>],
    pub(super) matched: &'a [&'p Vec<BTreeSet<usize>>],
    pub(super) c: usize,
}

/// Indices (into the control's parsed required events) of those on the list of CIS
/// `version` (`None`: the newest list).
fn listed(control: &Control, version: Option<&str>) -> BTreeSet<usize> {
    control
        .must_match
        .iter()
        .filter(|s| s.event().is_some())
        .enumerate()
        .filter(|(_, s)| control.requires(s, version))
        .map(|(i, _)| i)
        .collect()
}

fn on_trail(filter: &Filter, graph: &Graph, declared: &[String]) -> OnTrail {
    let trail_targets: Vec<&Target> = graph.trails.iter().map(|t| &t.log_group).collect();
    match &filter.log_group {
        Target::Resolved(i) => {
            let name = graph.log_groups[*i].name.as_deref();
            let by_trail = trail_targets.iter().any(|t| **t == Target::Resolved(*i))
                || name.is_some_and(|n| {
                    trail_targets
                        .iter()
                        .any(|t| **t == Target::External(n.to_string()))
                });
            if by_trail || name.is_some_and(|n| declared.iter().any(|d| d == n)) {
                OnTrail::Yes
            } else {
                OnTrail::No
            }
        }
        Target::External(name) => {
            let by_trail = trail_targets.iter().any(|t| match t {
                Target::External(n) => n == name,
                Target::Resolved(i) => graph.log_groups[*i].name.as_deref() == Some(name.as_str()),
                _ => false,
            });
            if by_trail || declared.iter().any(|d| d == name) {
                OnTrail::Yes
            } else {
                OnTrail::No
            }
        }
        Target::Unknown(_) => OnTrail::Maybe,
        Target::Missing => OnTrail::No,
    }
}

pub fn check(
    graph: &Graph,
    ctx: &mut Context,
    controls: &[&Control],
    links: &[FilterLink],
    options: &CheckOptions,
    shared: &Shared,
) -> Vec<(String, ControlStatus)> {
    let memos: Vec<Option<Arc<Memo>>> = graph
        .filters
        .iter()
        .map(|f| {
            f.pattern
                .as_ref()
                .ok()
                .map(|text| shared.memo(&text.text, controls))
        })
        .collect();
    let parsed: Vec<Option<Parsed>> = graph
        .filters
        .iter()
        .zip(&memos)
        .map(|(f, memo)| {
            f.pattern
                .as_ref()
                .ok()
                .zip(memo.as_ref())
                .map(|(text, memo)| Parsed {
                    analysis: memo.analysis.clone(),
                    text: text.clone(),
                })
        })
        .collect();
    let trail_known = graph.trails.iter().any(|t| t.log_group != Target::Missing)
        || !options.cloudtrail_log_groups.is_empty();
    let placement: Vec<OnTrail> = graph
        .filters
        .iter()
        .map(|f| {
            if trail_known {
                on_trail(f, graph, &options.cloudtrail_log_groups)
            } else {
                OnTrail::Maybe
            }
        })
        .collect();
    if !trail_known && !graph.filters.is_empty() {
        let mut f = finding(Defect::NoCloudtrailLogGroup,
            "no CloudTrail trail in this configuration delivers to a CloudWatch Logs log group, so trailwatch cannot tell which metric filters see CloudTrail events".to_string(),
            None,
        );
        f.location = graph
            .filters
            .first()
            .and_then(|filter| ctx.attribute(filter.instance, "log_group_name"));
        f.help = Some("declare the log group in `.trailwatch.toml`: `cloudtrail_log_groups = [\"<log group name>\"]`, or check the trail's configuration together with the monitoring".to_string());
        ctx.push(f);
    }
    let trails_deliver = graph.trails.iter().any(|t| t.log_group != Target::Missing);
    let trail_sound = graph.trails.iter().any(|t| {
        t.log_group != Target::Missing
            && t.multi_region != Some(false)
            && t.logging != Some(false)
            && t.management_gap.is_none()
            && t.global_events != Some(false)
            && t.arn_refused.is_none()
    });
    let required: Vec<Vec<(&str, &LogEvent)>> =
        controls.iter().map(|c| events(&c.must_match)).collect();
    // matched[f][c] = indices of control c's required events that filter f's pattern matches.
    let empty: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); controls.len()];
    let matched: Vec<&Vec<BTreeSet<usize>>> = memos
        .iter()
        .zip(&parsed)
        .map(|(m, p)| match (m, p) {
            (Some(m), Some(_)) => &m.matched,
            _ => &empty,
        })
        .collect();
    // The controls each filter is written for: it carries what sets them apart, or its
    // names say so; whether it matches their events or not.
    let names_say: Vec<BTreeSet<usize>> = graph
        .filters
        .iter()
        .map(|filter| {
            let names = name_hints(graph, filter);
            let said: Vec<usize> = (0..controls.len())
                .filter(|c| names.iter().any(|n| n.contains(&controls[*c].id)))
                .collect();
            // `cloudtrail-config-changes` says that control, not `config-changes` too.
            said.iter()
                .copied()
                .filter(|c| {
                    !said.iter().any(|d| {
                        d != c
                            && controls[*d].id.len() > controls[*c].id.len()
                            && controls[*d].id.contains(&controls[*c].id)
                    })
                })
                .collect()
        })
        .collect();
    let written: Vec<BTreeSet<usize>> = (0..graph.filters.len())
        .map(|f| {
            let text = parsed[f].as_ref().map_or("", |p| p.text.text.as_str());
            let mut out = names_say[f].clone();
            out.extend((0..controls.len()).filter(|c| carried(text, &shared.marks[*c]).is_some()));
            out
        })
        .collect();
    let intent: Vec<BTreeSet<usize>> = (0..graph.filters.len())
        .map(|f| {
            // CloudTrail records are JSON: a term or space-delimited pattern that never
            // names a JSON field (`?ERROR ?Exception`) monitors something else.
            let text = parsed[f]
                .as_ref()
                .map(|p| p.text.text.as_str())
                .unwrap_or("");
            let json_like = matches!(
                parsed[f].as_ref().and_then(|p| p.analysis.pattern.as_ref()),
                Some(Pattern::Json(_)) | None
            ) || text.contains("$.");
            if !json_like {
                return BTreeSet::new();
            }
            // A filter serves the controls it covers best, and any it covers mostly: the
            // CIS IAM pattern also matches Organizations' CreatePolicy, yet it is no
            // Organizations filter.
            let fraction = |c: usize| matched[f][c].len() as f64 / required[c].len().max(1) as f64;
            let best = (0..controls.len()).map(fraction).fold(0.0, f64::max);
            let by_match: BTreeSet<usize> = (0..controls.len())
                .filter(|c| {
                    !matched[f][*c].is_empty() && (fraction(*c) >= best || fraction(*c) > 0.5)
                })
                .collect();
            // Matching none of a control's events, a filter is still written for it when
            // it carries what sets that control apart, or when its names say so. A filter
            // with neither (one user's console logins) is custom monitoring.
            let mut intent = by_match;
            intent.extend(
                written[f]
                    .iter()
                    .filter(|c| matched[f][**c].is_empty() || names_say[f].contains(*c)),
            );
            intent
        })
        .collect();
    custom_monitoring(graph, ctx, &intent, &placement);

    let mut statuses = Vec::new();
    // Every control takes part in deciding what a filter is for (so `--rule` does not
    // change a verdict); only the selected ones get a status.
    for (c, control) in controls.iter().enumerate() {
        if !options.selected.contains(&control.id) {
            continue;
        }
        let union = |accept: &dyn Fn(usize) -> bool| -> BTreeSet<usize> {
            (0..graph.filters.len())
                .filter(|f| accept(*f))
                .flat_map(|f| matched[f][c].iter().copied())
                .collect()
        };
        let working = union(&|f| placement[f] == OnTrail::Yes && links[f].state == State::Working);
        let possible = union(&|f| placement[f] != OnTrail::No && links[f].state != State::Broken);
        let intended: Vec<usize> = (0..graph.filters.len())
            .filter(|f| intent[*f].contains(&c))
            .collect();
        // The events of the selected benchmark version, or of the newest one. A chain that
        // meets an older version's list is judged by that list, and warned about the events
        // added since (not the generic error).
        let mut all = listed(control, options.benchmark.as_deref());
        let mut added = Vec::new();
        let mut met = "";
        if options.benchmark.is_none()
            && !all.is_subset(&possible)
            && let Some((version, older)) = control
                .versions()
                .into_iter()
                .rev()
                .map(|v| (v, listed(control, Some(v))))
                .find(|(_, l)| !l.is_empty() && *l != all && l.is_subset(&possible))
        {
            added = all.difference(&older).copied().collect();
            all = older;
            met = version;
        }
        // Filters whose pattern is unknown before apply and that may serve this control:
        // those whose names say so, or any control when nothing says which.
        let pending: Vec<usize> = (0..graph.filters.len())
            .filter(|f| {
                graph.filters[*f].pattern.is_err()
                    && placement[*f] != OnTrail::No
                    && links[*f].state != State::Broken
                    && (intent[*f].contains(&c) || intent[*f].is_empty())
            })
            .collect();
        let status = if working == all && !all.is_empty() {
            ControlStatus::Pass
        } else if (possible == all && !all.is_empty()) || !pending.is_empty() {
            for f in &intended {
                for note in &links[*f].unverifiable {
                    let mut note = note.clone();
                    note.scope(control);
                    ctx.push(note);
                }
            }
            for &f in &pending {
                let scope = intent[f].contains(&c).then_some(control.id.as_str());
                ctx.push(unknown_pattern(ctx, &graph.filters[f], scope));
            }
            ControlStatus::Unverifiable
        } else if !trail_known && intended.is_empty() && !options.require {
            ControlStatus::Unverifiable
        } else {
            diagnose(
                graph,
                ctx,
                control,
                c,
                &intended,
                &parsed,
                &matched,
                &placement,
                links,
                &required[c],
                &all,
                &options.cloudtrail_log_groups,
            );
            ControlStatus::Fail
        };
        if status != ControlStatus::Fail {
            let found = Found {
                intended: &intended,
                parsed: &parsed,
                matched: &matched,
                c,
            };
            let written_for: Vec<usize> = (0..graph.filters.len())
                .filter(|f| written[*f].contains(&c))
                .collect();
            let found = Found {
                intended: &written_for,
                ..found
            };
            covered_elsewhere(
                graph,
                ctx,
                control,
                &found,
                &all,
                &placement,
                links,
                &shared.marks[c],
            );
        }
        if !added.is_empty() {
            let found = Found {
                intended: &intended,
                parsed: &parsed,
                matched: &matched,
                c,
            };
            newer_events(graph, ctx, control, &found, met, &added);
        }
        // The trail's own defects are reported once, under their own rules; they still
        // keep every control from working.
        let status = if trails_deliver && !trail_sound {
            ControlStatus::Fail
        } else {
            status
        };
        if status != ControlStatus::Fail {
            let serving: Vec<usize> = (0..graph.filters.len())
                .filter(|f| intent[*f].contains(&c))
                .collect();
            noisy(graph, ctx, control, &serving, &parsed, &placement, links);
        }
        for f in &intended {
            for note in &links[*f].notes {
                let mut note = note.clone();
                note.scope(control);
                ctx.push(note);
            }
        }
        statuses.push((control.id.clone(), status));
    }
    statuses
}

#[allow(clippy::too_many_arguments)]
fn diagnose(
    graph: &Graph,
    ctx: &mut Context,
    control: &Control,
    c: usize,
    intended: &[usize],
    parsed: &[Option<Parsed>],
    matched: &[&Vec<BTreeSet<usize>>],
    placement: &[OnTrail],
    links: &[FilterLink],
    required: &[(&str, &LogEvent)],
    listed: &BTreeSet<usize>,
    declared: &[String],
) {
    let scoped = |mut f: Finding| {
        f.scope(control);
        f
    };
    let before = ctx.mark();
    // Filters meant for the control that read another log group get their own finding,
    // which says why the control fails; with none, the control is missing.
    if intended.is_empty() {
        ctx.push(scoped(control_missing(
            graph,
            ctx,
            control,
            declared,
            Defect::ControlMissing,
        )));
    }
    let mut union = BTreeSet::new();
    for f in intended {
        union.extend(matched[*f][c].iter().copied());
    }
    let missing: Vec<(&str, &LogEvent)> = required
        .iter()
        .enumerate()
        .filter(|(i, _)| listed.contains(i) && !union.contains(i))
        .map(|(_, event)| *event)
        .collect();
    for &f in intended {
        let filter = &graph.filters[f];
        if let Some(p) = &parsed[f]
            && let Some(d) = rejection(&p.analysis)
        {
            let mut finding = scoped(finding(
                Defect::PatternSyntax,
                format!(
                    "CloudWatch refuses the pattern of filter `{}`, so `terraform apply` will fail: {}",
                    filter.instance.address, d.message
                ),
                Some(filter.instance),
            ));
            finding.location = ctx.in_string(&p.text, d.span.range(), filter.instance, "pattern");
            finding.help = d.help.clone();
            finding.fix = d
                .fix
                .as_ref()
                .and_then(|fix| pattern_fix(ctx, filter, fix, "use this pattern"));
            ctx.push(finding);
        }
        if placement[f] == OnTrail::No {
            let cause = match &filter.log_group {
                Target::Resolved(i) => Some(graph.log_groups[*i].instance.address.clone()),
                Target::External(name) => Some(format!("log group {name}")),
                Target::Unknown(_) | Target::Missing => None,
            };
            let group = match (&filter.log_group, &cause) {
                (Target::Resolved(_), Some(address)) => format!("log group `{address}`"),
                (Target::External(name), _) => format!("log group `{name}`"),
                _ => "a log group".to_string(),
            };
            let mut finding = scoped(finding(
                Defect::FilterLogGroupNotFromTrail,
                format!(
                    "filter `{}` reads {group}, which no CloudTrail trail sends to: it never sees the {} events",
                    filter.instance.address, control.id
                ),
                Some(filter.instance),
            ));
            finding.location = ctx.attribute(filter.instance, "log_group_name");
            // Filters reading the same log group share this cause: one finding.
            finding.caused_by = cause.into_iter().collect();
            finding.help =
                Some("point `log_group_name` at the log group the trail delivers to".to_string());
            ctx.push(finding);
        }
        for problem in &links[f].problems {
            ctx.push(scoped(problem.clone()));
        }
    }
    if !missing.is_empty()
        && let Some(&best) = intended
            .iter()
            .filter(|f| {
                parsed[**f]
                    .as_ref()
                    .is_some_and(|p| rejection(&p.analysis).is_none())
            })
            .max_by_key(|f| (matched[**f][c].len(), std::cmp::Reverse(**f)))
    {
        let filter = &graph.filters[best];
        if let Some(p) = &parsed[best] {
            ctx.push(scoped(misses_events(
                ctx,
                control,
                filter,
                p,
                &missing,
                listed.len(),
                intended.len() == 1,
            )));
        }
    }
    // A failing control always has an error that says why: when the filters meant for
    // it have no defect of their own (no `metric_transformation`, say), none of them
    // delivers the events. With none meant for it, `control-missing` says so.
    if !intended.is_empty()
        && !ctx
            .pushed_since(before)
            .iter()
            .any(|f| f.level == Level::Error)
    {
        let mut f = scoped(control_missing(
            graph,
            ctx,
            control,
            declared,
            Defect::ControlNotDelivered,
        ));
        for &i in intended {
            if let Some(location) = ctx.block_head(graph.filters[i].instance) {
                f.related.push(Related {
                    location,
                    message: format!(
                        "filter `{}` is meant for this control but no working alarm chain carries its events",
                        graph.filters[i].instance.address
                    ),
                });
            }
        }
        ctx.push(f);
    }
}

fn control_missing(
    graph: &Graph,
    ctx: &Context,
    control: &Control,
    declared: &[String],
    defect: Defect,
) -> Finding {
    let events: Vec<&str> = control
        .must_match
        .iter()
        .map(|s| s.event.as_str())
        .collect();
    let listed = if events.len() > 4 {
        format!("{}, … ({} events)", events[..4].join(", "), events.len())
    } else {
        events.join(", ")
    };
    let trail = graph.trails.iter().find(|t| t.log_group != Target::Missing);
    let place = if trail.is_some() || !declared.is_empty() {
        "on the CloudTrail log group"
    } else {
        "in this configuration"
    };
    let message = match defect {
        Defect::ControlNotDelivered => format!(
            "the filters written for `{}` deliver to no working alarm: no alarm fires for {listed}",
            control.id
        ),
        _ => format!(
            "no metric filter {place} covers `{}`: no alarm fires for {listed}",
            control.id
        ),
    };
    let mut f = finding(defect, message, None);
    f.label = Some(format!(
        "nothing on this log group alarms for `{}`",
        control.id
    ));
    f.location = match trail.map(|t| &t.log_group) {
        Some(Target::Resolved(i)) => ctx.block_head(graph.log_groups[*i].instance),
        Some(_) => trail.and_then(|t| ctx.attribute(t.instance, "cloud_watch_logs_group_arn")),
        // The log group is declared in `.trailwatch.toml`: point at a filter reading it.
        None => graph
            .filters
            .iter()
            .find(|filter| matches!(&filter.log_group, Target::External(name) if declared.contains(name)))
            .and_then(|filter| ctx.attribute(filter.instance, "log_group_name")),
    };
    f.resource = trail.map(|t| t.instance.address.clone());
    f.help = Some(match defect {
        Defect::ControlNotDelivered => format!(
            "complete the chain of each filter listed: a `metric_transformation`, an alarm on its metric with an SNS action, and a subscribed topic (`trailwatch explain {}`)",
            control.id
        ),
        _ => format!(
            "add an `aws_cloudwatch_log_metric_filter` on the trail's log group with `pattern = {:?}`, an alarm on its metric and an SNS topic with a subscription (`trailwatch explain {}`)",
            control.pattern.trim(),
            control.id
        ),
    });
    f
}

/// A working filter that also matches events the control should not fire on.
fn noisy(
    graph: &Graph,
    ctx: &mut Context,
    control: &Control,
    serving: &[usize],
    parsed: &[Option<Parsed>],
    placement: &[OnTrail],
    links: &[FilterLink],
) {
    let benign = events(&control.should_not_match);
    for &f in serving {
        let filter = &graph.filters[f];
        if placement[f] == OnTrail::No || links[f].state == State::Broken {
            continue;
        }
        let Some(pattern) = parsed[f].as_ref().and_then(|p| p.analysis.pattern.as_ref()) else {
            continue;
        };
        let hits: Vec<&str> = benign
            .iter()
            .filter(|(_, e)| pattern.matches(e))
            .map(|(n, _)| *n)
            .collect();
        if hits.is_empty() {
            continue;
        }
        let mut n = finding(
            Defect::PatternNoisy,
            format!(
                "the pattern of filter `{}` also matches {} — the {} alarm will fire on these too",
                filter.instance.address,
                hits.join(", "),
                control.id
            ),
            Some(filter.instance),
        );
        n.scope(control);
        n.location = ctx.attribute(filter.instance, "pattern");
        n.help = Some(format!(
            "the recommended pattern excludes them: {}",
            control.pattern.trim()
        ));
        ctx.push(n);
    }
}
