//! Per control: does the union of the filters on a CloudTrail log group, whose metric has
//! a working alarm, match every required event? If not, say which link is broken.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use super::CheckOptions;
use super::context::{Context, finding};
use super::links::{FilterLink, State};
use crate::model::{Filter, Graph, Target};
use crate::pattern::ast::{Expr, Op, Pattern, Test, Value as PValue};
use crate::pattern::{Analysis, LogEvent, Severity, analyze};
use crate::report::{ControlStatus, distance};
use crate::rules::{Control, Finding, Fix, Level, Related};
use crate::terraform::value::Str;

#[derive(Debug, Clone, Copy, PartialEq)]
enum OnTrail {
    Yes,
    No,
    Maybe,
}

struct Parsed {
    text: Str,
    analysis: Arc<Analysis>,
}

/// Why PutMetricFilter would refuse this pattern, if it would: a syntax error, or a
/// documented limit (length, regex count, wildcard selectors, unquoted characters). A
/// refused filter is never created, so `terraform apply` fails and it catches nothing.
fn rejection(analysis: &Analysis) -> Option<&crate::pattern::PatternDiagnostic> {
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
    keywords: Vec<BTreeSet<String>>,
    memo: Mutex<HashMap<String, Arc<Memo>>>,
}

impl Shared {
    pub fn new(controls: &[&Control]) -> Self {
        Shared {
            keywords: controls.iter().map(|c| keywords(c)).collect(),
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

fn events(samples: &[crate::rules::catalog::Sample]) -> Vec<(&str, &LogEvent)> {
    samples
        .iter()
        .filter_map(|s| s.event().map(|e| (s.event.as_str(), e)))
        .collect()
}

/// What the coverage check found for control `c`: the filters meant for it, their
/// parsed patterns, and the required events each matches.
struct Found<'a, 'p> {
    intended: &'a [usize],
    parsed: &'a [Option<Parsed>],
    matched: &'a [&'p Vec<BTreeSet<usize>>],
    c: usize,
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

/// A chain that meets an older benchmark's list for `control` but misses `added`, events a
/// newer version put on it: a warning at the filter that serves the control, naming the
/// version that added each event, with the newest pattern as the fix.
fn newer_events(
    graph: &Graph,
    ctx: &mut Context,
    control: &Control,
    found: &Found,
    met: &str,
    added: &[usize],
) {
    let Found {
        intended,
        parsed,
        matched,
        c,
    } = *found;
    let samples: Vec<&crate::rules::catalog::Sample> = control
        .must_match
        .iter()
        .filter(|s| s.event().is_some())
        .collect();
    let named: Vec<String> = added
        .iter()
        .filter_map(|i| samples.get(*i))
        .map(|s| match &s.since {
            Some(v) => format!("{} (added in CIS v{v})", s.event),
            None => s.event.clone(),
        })
        .collect();
    let best = intended
        .iter()
        .copied()
        .max_by_key(|f| (matched[*f][c].len(), std::cmp::Reverse(*f)));
    let instance = best.map(|f| graph.filters[f].instance);
    let mut f = finding(
        &control.id,
        "pattern-misses-newer-events",
        Level::Warning,
        format!(
            "{} meets the CIS v{met} list for `{}` but does not match {}, so the alarm never fires for {}",
            instance.map_or("the monitoring".to_string(), |i| format!(
                "the pattern of filter `{}`",
                i.address
            )),
            control.id,
            named.join(", "),
            if named.len() == 1 { "it" } else { "them" }
        ),
        instance,
    );
    f.control = Some(control.id.clone());
    f.location = instance.and_then(|i| ctx.attribute(i, "pattern"));
    f.help = Some(format!(
        "add the newer events to the pattern (the newest recommended pattern is `{}`), or check against that benchmark with `--profile cis-{}`",
        control.pattern.trim(),
        met.strip_suffix(".0").unwrap_or(met)
    ));
    if let (Some(b), [_]) = (best, intended)
        && parsed[b].is_some()
    {
        f.fix = pattern_fix(
            ctx,
            &graph.filters[b],
            control.pattern.trim(),
            &format!("use the recommended {} pattern", control.id),
        );
    }
    ctx.push(f);
}

/// Words that identify a control in a pattern that does not parse or matches nothing:
/// its event names and the literal values of its recommended pattern.
fn keywords(control: &Control) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for sample in &control.must_match {
        if let Some(json) = sample.event().and_then(|e| e.json.as_ref())
            && let Some(name) = json.get("eventName").and_then(|v| v.as_str())
        {
            out.insert(name.to_string());
        }
    }
    if let Ok(Pattern::Json(json)) = crate::pattern::parse(&control.pattern) {
        walk(&json.expr, &mut |cmp| {
            if let Test::Compare {
                value: PValue::Str { text, .. },
                ..
            } = &cmp.test
            {
                let word = text.trim_matches('*');
                if word.len() > 3 && !word.contains(".amazonaws.com") {
                    out.insert(word.to_string());
                }
            }
        });
    }
    out
}

/// The filter's resource name, `name` and metric name, lower-case with `-` separators
/// (`iam_policy_changes` → `iam-policy-changes`).
fn name_hints(filter: &Filter) -> Vec<String> {
    let normalize = |s: &str| {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
    };
    let mut names = vec![normalize(&filter.instance.name)];
    if let Some(name) = filter.instance.get("name").and_then(|v| v.as_str()) {
        names.push(normalize(name));
    }
    if let Some(Ok(name)) = filter.metric.as_ref().map(|m| &m.name) {
        names.push(normalize(name));
    }
    names
}

fn walk<'a>(expr: &'a Expr, f: &mut impl FnMut(&'a crate::pattern::ast::Comparison)) {
    match expr {
        Expr::And(items, _) | Expr::Or(items, _) => items.iter().for_each(|i| walk(i, f)),
        Expr::Cmp(cmp) => f(cmp),
    }
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
        let mut f = finding(
            "no-cloudtrail-log-group",
            "no-cloudtrail-log-group",
            Level::Note,
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
    let keyword_sets = &shared.keywords;
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
    // A filter that matches nothing (quoted, broken) is meant for the control whose
    // words it mentions most.
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
            if !by_match.is_empty() {
                return by_match;
            }
            let text = parsed[f]
                .as_ref()
                .map(|p| p.text.text.as_str())
                .unwrap_or("");
            let hits: Vec<usize> = keyword_sets
                .iter()
                .map(|k| k.iter().filter(|w| text.contains(w.as_str())).count())
                .collect();
            let best = hits.iter().copied().max().unwrap_or(0);
            if best == 0 {
                // Nothing in the pattern says what it is for: its names may.
                let names = name_hints(&graph.filters[f]);
                return (0..controls.len())
                    .filter(|c| names.iter().any(|n| n.contains(&controls[*c].id)))
                    .collect();
            }
            (0..controls.len()).filter(|c| hits[*c] == best).collect()
        })
        .collect();

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
                    note.rule = control.id.clone();
                    note.control = Some(control.id.clone());
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
                note.rule = control.id.clone();
                note.control = Some(control.id.clone());
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
        f.rule = control.id.clone();
        f.control = Some(control.id.clone());
        f
    };
    let before = ctx.mark();
    let nowhere = intended.iter().all(|f| placement[*f] == OnTrail::No);
    if nowhere {
        ctx.push(scoped(control_missing(graph, ctx, control, declared)));
    }
    let mut union = BTreeSet::new();
    for f in intended {
        union.extend(matched[*f][c].iter().copied());
    }
    let missing: Vec<&str> = required
        .iter()
        .enumerate()
        .filter(|(i, _)| listed.contains(i) && !union.contains(i))
        .map(|(_, (name, _))| *name)
        .collect();
    for &f in intended {
        let filter = &graph.filters[f];
        if let Some(p) = &parsed[f]
            && let Some(d) = rejection(&p.analysis)
        {
            let mut finding = scoped(finding(
                "",
                "pattern-syntax",
                Level::Error,
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
            let mut finding = scoped(finding(
                "",
                "filter-log-group-not-from-trail",
                Level::Error,
                format!(
                    "filter `{}` reads a log group that no CloudTrail trail sends to: it never sees the {} events",
                    filter.instance.address, control.id
                ),
                Some(filter.instance),
            ));
            finding.location = ctx.attribute(filter.instance, "log_group_name");
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
    // delivers the events.
    if !ctx
        .pushed_since(before)
        .iter()
        .any(|f| f.level == Level::Error)
    {
        let mut f = scoped(control_missing(graph, ctx, control, declared));
        f.level = Level::Error;
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
    let mut f = finding(
        "",
        "control-missing",
        Level::parse(&control.severity).unwrap_or(Level::Error),
        format!(
            "no metric filter {place} covers `{}`: no alarm fires for {listed}",
            control.id
        ),
        None,
    );
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
    f.help = Some(format!(
        "add an `aws_cloudwatch_log_metric_filter` on the trail's log group with `pattern = {:?}`, an alarm on its metric and an SNS topic with a subscription (`trailwatch explain {}`)",
        control.pattern.trim(),
        control.id
    ));
    f
}

/// A note for a filter whose pattern is unknown before apply: under `control` when its
/// names say which control it serves, chain-wide (it may serve any) otherwise.
fn unknown_pattern(ctx: &Context, filter: &Filter, control: Option<&str>) -> Finding {
    let reason = filter.pattern.as_ref().err().map_or("", String::as_str);
    let serves = match control {
        Some(id) => format!("whether it catches the `{id}` events"),
        None => "which control it serves".to_string(),
    };
    let mut f = finding(
        control.unwrap_or("unverifiable"),
        "unverifiable",
        Level::Note,
        format!(
            "the pattern of filter `{}` is not known before apply ({reason}), so {serves} cannot be checked",
            filter.instance.address
        ),
        Some(filter.instance),
    );
    f.control = control.map(str::to_string);
    f.location = ctx.attribute(filter.instance, "pattern");
    f.help = Some(
        "give the pattern's value (`--var`, `--var-file`), or check a plan JSON (`--plan`)"
            .to_string(),
    );
    f
}

/// Replaces the whole `pattern` attribute with `pattern`: a heredoc in HCL (quotes need no
/// escaping), a JSON string in `.tf.json`. Only for a filter of the root module without
/// `count`/`for_each`, whose expression no other instance shares.
fn pattern_fix(ctx: &Context, filter: &Filter, pattern: &str, description: &str) -> Option<Fix> {
    let instance = filter.instance;
    if !super::context::rewrites_only_itself(instance) {
        return None;
    }
    instance.attribute_spans.get("pattern")?;
    let location = ctx.attribute(instance, "pattern")?;
    let replacement = if location.path.ends_with(".json") {
        serde_json::Value::String(pattern.to_string()).to_string()
    } else {
        format!("<<-PATTERN\n    {pattern}\n  PATTERN")
    };
    Some(Fix {
        description: description.to_string(),
        location,
        replacement,
    })
}

/// `$.eventName = X` comparisons whose X is no known event but close to one.
fn typos<'p>(pattern: &'p Pattern, ctx: &Context) -> Vec<(&'p str, crate::pattern::Span, String)> {
    let mut out = Vec::new();
    if let Pattern::Json(json) = pattern {
        walk(&json.expr, &mut |cmp| {
            if cmp.selector.path() != "$.eventName" {
                return;
            }
            if let Test::Compare {
                op: Op::Eq,
                value: PValue::Str { text, span },
                ..
            } = &cmp.test
                && !text.contains('*')
                && !ctx.events.contains(text)
                && let Some(near) = ctx
                    .events
                    .iter()
                    .filter(|e| distance(text, e) <= 2)
                    .min_by_key(|e| distance(text, e))
            {
                out.push((text.as_str(), *span, near.clone()));
            }
        });
    }
    out
}

fn misses_events(
    ctx: &Context,
    control: &Control,
    filter: &Filter,
    p: &Parsed,
    missing: &[&str],
    total: usize,
    single: bool,
) -> Finding {
    let instance = filter.instance;
    let Some(pattern) = &p.analysis.pattern else {
        return finding(
            "",
            "pattern-misses-events",
            Level::Error,
            String::new(),
            Some(instance),
        );
    };
    let list = if missing.len() == total {
        format!("any of the {total} required events")
    } else {
        format!(
            "{} of {total} required events: {}",
            missing.len(),
            missing.join(", ")
        )
    };
    let lint = p
        .analysis
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error);
    let typos = typos(pattern, ctx);
    let mut message = format!(
        "the pattern of filter `{}` does not match {list}, so the {} alarm never fires for them",
        instance.address, control.id
    );
    let mut f = finding(
        "",
        "pattern-misses-events",
        Level::Error,
        String::new(),
        Some(instance),
    );
    if let Some((typo, span, near)) = typos.first() {
        message.push_str(&format!(
            "; `{typo}` is not a CloudTrail event name — did you mean `{near}`?"
        ));
        f.location = ctx.in_string(&p.text, span.range(), instance, "pattern");
        if let Some(location) = f
            .location
            .clone()
            .filter(|_| p.text.source_of(span.start).is_some())
        {
            // Quote the name as the source quotes it: inside an HCL or JSON string the
            // pattern's quotes are written `\"`, and a bare name needs none.
            let sources = ctx.sources;
            let source = p
                .text
                .source_of(span.start)
                .and_then(|(file, at)| sources.get(file)?.text.get(at..))
                .unwrap_or("");
            let replacement = if source.starts_with("\\\"") {
                format!("\\\"{near}\\\"")
            } else if source.starts_with('"') {
                format!("\"{near}\"")
            } else {
                near.clone()
            };
            f.fix = Some(Fix {
                description: format!("correct the event name to `{near}`"),
                location,
                replacement,
            });
        }
    } else if let Some(d) = lint {
        message.push_str(&format!(": {}", d.message));
        f.location = ctx.in_string(&p.text, d.span.range(), instance, "pattern");
        for other in p
            .analysis
            .diagnostics
            .iter()
            .filter(|o| o.severity == Severity::Error && *o != d)
        {
            if let Some(location) = ctx.in_string(&p.text, other.span.range(), instance, "pattern")
            {
                f.related.push(Related {
                    location,
                    message: other.message.clone(),
                });
            }
        }
        f.help = d.help.clone();
        if let Some(fixed) = &d.fix {
            f.fix = pattern_fix(ctx, filter, fixed, "use the JSON pattern");
        }
    } else {
        f.location = ctx.attribute(instance, "pattern");
    }
    if f.fix.is_none() && single {
        f.fix = pattern_fix(
            ctx,
            filter,
            control.pattern.trim(),
            &format!("use the recommended {} pattern", control.id),
        );
    }
    if f.help.is_none() {
        f.help = Some(format!(
            "`trailwatch explain {}` lists the events and the recommended pattern",
            control.id
        ));
    }
    f.message = message;
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
            &control.id,
            "pattern-noisy",
            Level::Note,
            format!(
                "the pattern of filter `{}` also matches {} — the {} alarm will fire on these too",
                filter.instance.address,
                hits.join(", "),
                control.id
            ),
            Some(filter.instance),
        );
        n.control = Some(control.id.clone());
        n.location = ctx.attribute(filter.instance, "pattern");
        n.help = Some(format!(
            "the recommended pattern excludes them: {}",
            control.pattern.trim()
        ));
        ctx.push(n);
    }
}
