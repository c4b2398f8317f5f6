//! What a filter is written for: the controls whose events it matches, whose marks it
//! carries (what sets a control apart from the others, derived from the rule data), or
//! whose ids its filter, metric or alarm names say; and custom monitoring, which serves no
//! control.

use crate::rules::Defect;
use std::collections::BTreeSet;

use super::context::{Context, finding};
use super::coverage::OnTrail;
use crate::distance::distance;
use crate::model::{Filter, Graph};
use crate::pattern::ast::{Expr, Pattern, Test, Value as PValue};
use crate::rules::Control;

/// The field paths (`$.errorMessage`, and their last step when it is long enough to say
/// something: `MFAUsed`), the values (`Failed authentication`) and the event names of a
/// control's recommended and CIS patterns and required events.
pub(super) fn words(control: &Control) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for sample in &control.must_match {
        if let Some(json) = sample.event().and_then(|e| e.json.as_ref())
            && let Some(name) = json.get("eventName").and_then(|v| v.as_str())
        {
            out.insert(name.to_string());
        }
    }
    let patterns = std::iter::once(&control.pattern).chain(control.cis.iter().map(|e| &e.pattern));
    for text in patterns {
        if let Ok(Pattern::Json(json)) = crate::pattern::parse(text) {
            walk(&json.expr, &mut |cmp| {
                let path = cmp.selector.path();
                let path = path.trim_start_matches("$.");
                out.insert(path.to_string());
                if let Some(leaf) = path.rsplit('.').next().filter(|l| l.len() >= 6) {
                    out.insert(leaf.to_string());
                }
                if let Test::Compare {
                    value: PValue::Str { text, .. },
                    ..
                } = &cmp.test
                {
                    let word = text.trim_matches('*');
                    if word.len() > 3 {
                        out.insert(word.to_string());
                    }
                }
            });
        }
    }
    out
}

/// What sets each control apart: its words (see `words`) that no other control has.
/// `ConsoleLogin` is three controls' event, so it marks none of them; `errorMessage`,
/// `MFAUsed` and `userIdentity.type` = `Root` each mark one.
pub(super) fn marks(controls: &[&Control]) -> Vec<Vec<String>> {
    let all: Vec<BTreeSet<String>> = controls.iter().map(|c| words(c)).collect();
    all.iter()
        .enumerate()
        .map(|(c, own)| {
            own.iter()
                .filter(|w| {
                    all.iter().enumerate().all(|(o, other)| {
                        o == c || !other.iter().any(|x| x.eq_ignore_ascii_case(w))
                    })
                })
                .cloned()
                .collect()
        })
        .collect()
}

/// The first of `marks` that `text` carries, as written or as a near miss: in another case,
/// or a word of the text within two edits of a long mark (`Failed Authentcation`).
pub(super) fn carried<'m>(text: &str, marks: &'m [String]) -> Option<&'m str> {
    let lower = text.to_ascii_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == ' '))
        .flat_map(|t| std::iter::once(t.trim()).chain(t.split(' ')))
        .map(|t| t.trim_start_matches("$.").trim_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    marks
        .iter()
        .find(|m| {
            let m = m.to_ascii_lowercase();
            let bounded = |at: usize| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + m.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                !word(before) && !word(after)
            };
            lower.match_indices(&m).any(|(at, _)| bounded(at))
                || (m.len() >= 8 && tokens.iter().any(|t| distance(t, &m) <= 2))
        })
        .map(String::as_str)
}

/// The filter's resource name, `name` and metric name, lower-case with `-` separators
/// (`iam_policy_changes` → `iam-policy-changes`).
pub(super) fn name_hints(graph: &Graph, filter: &Filter) -> Vec<String> {
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
    for alarm in alarms_of(graph, filter) {
        names.push(normalize(&alarm.instance.name));
        if let Some(name) = alarm.instance.get("alarm_name").and_then(|v| v.as_str()) {
            names.push(normalize(name));
        }
    }
    names
}

/// The alarms that watch the filter's metric (both known and equal).
pub(super) fn alarms_of<'g>(graph: &'g Graph, filter: &Filter) -> Vec<&'g crate::model::Alarm<'g>> {
    let Some(metric) = &filter.metric else {
        return Vec::new();
    };
    graph
        .alarms
        .iter()
        .filter(|a| {
            a.metrics
                .iter()
                .any(|w| w.metric.name.is_ok() && w.metric == *metric)
        })
        .collect()
}

pub(super) fn walk<'a>(expr: &'a Expr, f: &mut impl FnMut(&'a crate::pattern::ast::Comparison)) {
    match expr {
        Expr::And(items, _) | Expr::Or(items, _) => items.iter().for_each(|i| walk(i, f)),
        Expr::Cmp(cmp) => f(cmp),
    }
}

/// Filters that serve no control (custom monitoring: one user's sign-ins, deliberately
/// thresholded) never get a control's finding; an alarm on them that tells nobody is
/// still reported, chain-wide.
pub(super) fn custom_monitoring(
    graph: &Graph,
    ctx: &mut Context,
    intent: &[BTreeSet<usize>],
    placement: &[OnTrail],
) {
    for f in 0..graph.filters.len() {
        if !intent[f].is_empty() || placement[f] == OnTrail::No {
            continue;
        }
        for alarm in alarms_of(graph, &graph.filters[f]) {
            let path = if alarm.actions_enabled == Some(false) {
                "actions_enabled"
            } else if alarm.no_actions {
                "alarm_actions"
            } else {
                continue;
            };
            let instance = alarm.instance;
            let mut problem = finding(
                Defect::AlarmNoActions,
                format!(
                    "alarm `{}` on filter `{}` notifies nobody (`{path}`): when it fires, nobody is told",
                    instance.address, graph.filters[f].instance.address
                ),
                Some(instance),
            );
            problem.location = ctx.attribute(instance, path);
            problem.help =
                Some("set `alarm_actions = [aws_sns_topic.security_alerts.arn]`".to_string());
            ctx.push(problem);
        }
    }
}
