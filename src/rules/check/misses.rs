//! Findings about what a pattern misses, and why: the events, a misspelt name, the clause
//! that narrows it, events a newer benchmark added, a filter written for a control that
//! another control's filter stands in for, a pattern unknown before apply.

use crate::rules::Defect;
use std::collections::BTreeSet;

use super::context::{Context, finding};
use super::coverage::{Found, OnTrail, Parsed, events};
use super::intent::{alarms_of, carried, walk};
use super::links::{FilterLink, State};
use crate::distance::distance;
use crate::model::{Filter, Graph};
use crate::pattern::ast::{Expr, Op, Pattern, Test, Value as PValue};
use crate::pattern::{LogEvent, Severity};
use crate::rules::{Control, Finding, Fix, Related};

/// A chain that meets an older benchmark's list for `control` but misses `added`, events a
/// newer version put on it: a warning at the filter that serves the control, naming the
/// version that added each event, with the newest pattern as the fix.
pub(super) fn newer_events(
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
        Defect::PatternMissesNewerEvents,
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
    f.scope(control);
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

/// A control covered only thanks to filters written for other controls: the filters
/// written for it (`found.intended`: by what they test or by name) miss events, dead or partial, and
/// another control's alarm fires instead. Its own defect, naming that alarm.
#[allow(clippy::too_many_arguments)]
pub(super) fn covered_elsewhere(
    graph: &Graph,
    ctx: &mut Context,
    control: &Control,
    found: &Found,
    listed: &BTreeSet<usize>,
    placement: &[OnTrail],
    links: &[FilterLink],
    marks: &[String],
) {
    let Found {
        intended,
        parsed,
        matched,
        c,
    } = *found;
    let own: BTreeSet<usize> = intended
        .iter()
        .filter(|f| placement[**f] != OnTrail::No && links[**f].state != State::Broken)
        .flat_map(|f| matched[*f][c].iter().copied())
        .collect();
    let missing: Vec<usize> = listed.difference(&own).copied().collect();
    if intended.is_empty() || missing.is_empty() {
        return;
    }
    let samples: Vec<&str> = events(&control.must_match)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let names: Vec<&str> = missing
        .iter()
        .filter_map(|i| samples.get(*i).copied())
        .collect();
    // The filter that stands in: on the trail, with a chain, matching a missed event.
    let stand_in = (0..graph.filters.len()).find(|f| {
        !intended.contains(f)
            && placement[*f] != OnTrail::No
            && links[*f].state != State::Broken
            && missing.iter().any(|i| matched[*f][c].contains(i))
    });
    let Some(&dead) = intended
        .iter()
        .filter(|f| parsed[**f].is_some())
        .min_by_key(|f| (matched[**f][c].len(), **f))
    else {
        return;
    };
    let filter = &graph.filters[dead];
    let text = parsed[dead].as_ref().map_or("", |p| p.text.text.as_str());
    let why = match carried(text, marks) {
        Some(mark) if !text.contains(mark) => format!(
            " (it tests something close to `{mark}`, but values and field names are case-sensitive and exact)"
        ),
        Some(mark) => format!(" (it tests `{mark}`)"),
        None => String::new(),
    };
    let what = if matched[dead][c].is_empty() {
        "none of its events".to_string()
    } else {
        format!("not {}", names.join(", "))
    };
    let meanwhile = stand_in.map_or(String::new(), |s| {
        let other = &graph.filters[s];
        let alarm = alarms_of(graph, other).first().map_or(String::new(), |a| {
            format!("alarm `{}` on ", a.instance.address)
        });
        format!(
            "; meanwhile {alarm}filter `{}`, written for another control, catches {}",
            other.instance.address,
            names.join(", ")
        )
    });
    let mut f = finding(
        Defect::FilterMissesOwnEvents,
        format!(
            "filter `{}` is written for `{}`{why} but its pattern matches {what}{meanwhile}",
            filter.instance.address, control.id
        ),
        Some(filter.instance),
    );
    f.scope(control);
    f.location = ctx.attribute(filter.instance, "pattern");
    f.help = Some(format!(
        "use the recommended pattern `{}` (`trailwatch explain {}`)",
        control.pattern.trim(),
        control.id
    ));
    if let Some(s) = stand_in
        && let Some(location) = ctx.attribute(graph.filters[s].instance, "pattern")
    {
        f.related.push(Related {
            location,
            message: format!("this filter catches {} instead", names.join(", ")),
        });
    }
    if intended.len() == 1 {
        f.fix = pattern_fix(
            ctx,
            filter,
            control.pattern.trim(),
            &format!("use the recommended {} pattern", control.id),
        );
    }
    ctx.push(f);
}

/// `$.eventName = X` comparisons whose X is no known event but close to one.
pub(super) fn typos<'p>(
    pattern: &'p Pattern,
    ctx: &Context,
) -> Vec<(&'p str, crate::pattern::Span, String)> {
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

pub(super) fn misses_events(
    ctx: &Context,
    control: &Control,
    filter: &Filter,
    p: &Parsed,
    missed: &[(&str, &LogEvent)],
    total: usize,
    single: bool,
) -> Finding {
    let missing: Vec<&str> = missed.iter().map(|(name, _)| *name).collect();
    let instance = filter.instance;
    let Some(pattern) = &p.analysis.pattern else {
        return finding(Defect::PatternMissesEvents, String::new(), Some(instance));
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
    let mut f = finding(Defect::PatternMissesEvents, String::new(), Some(instance));
    f.label = Some(match missing.as_slice() {
        [one] => format!("never matches {one}"),
        [a, b] => format!("never matches {a} or {b}"),
        _ if missing.len() == total => "matches none of the required events".to_string(),
        [a, b, ..] => format!("never matches {a}, {b} and {} more", missing.len() - 2),
        [] => "misses required events".to_string(),
    });
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
    } else if let Some(clause) = narrowing_clause(pattern, missed) {
        let text = p.text.text.get(clause.range()).unwrap_or_default();
        message.push_str(&format!(
            "; the clause `{text}` narrows it: without that clause the pattern matches them"
        ));
        f.location = ctx.in_string(&p.text, clause.range(), instance, "pattern");
        f.help = Some(format!(
            "remove `{text}`, or use the recommended pattern (`trailwatch explain {}`)",
            control.id
        ));
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

/// The `&&` clause whose removal alone makes the pattern match every missed event (an
/// extra `$.requestParameters.name = "cloudtrail"` that limits it to one trail), found by
/// evaluating the pattern without each top-level clause in turn.
pub(super) fn narrowing_clause(
    pattern: &Pattern,
    missed: &[(&str, &LogEvent)],
) -> Option<crate::pattern::Span> {
    let Pattern::Json(json) = pattern else {
        return None;
    };
    let Expr::And(clauses, span) = &json.expr else {
        return None;
    };
    (0..clauses.len()).find_map(|i| {
        let mut rest: Vec<Expr> = clauses.clone();
        let removed = rest.remove(i);
        let expr = match rest.len() {
            1 => rest.pop()?,
            _ => Expr::And(rest, *span),
        };
        let without = Pattern::Json(crate::pattern::ast::JsonPattern {
            expr,
            span: json.span,
        });
        missed
            .iter()
            .all(|(_, event)| without.matches(event))
            .then(|| removed.span())
    })
}

/// A remedy that works for a value unknown for `reason`: `--var` supplies a variable, but
/// not an attribute the provider computes at apply (only a plan has that).
pub(super) fn unknown_remedy(reason: &str) -> &'static str {
    if reason.contains("after apply") {
        "the AWS provider computes this value at apply, so `--var` cannot supply it: check a plan JSON (`terraform show -json plan.out > plan.json`, then `--plan plan.json`)"
    } else if reason.contains("variable") {
        "give the variable a value (`--var NAME=VALUE`, `--var-file`), or check a plan JSON (`--plan`)"
    } else {
        "check a plan JSON (`terraform show -json plan.out > plan.json`, then `--plan plan.json`), where every value is known"
    }
}

/// Replaces the whole `pattern` attribute with `pattern`: a heredoc in HCL (quotes need no
/// escaping), a JSON string in `.tf.json`. Only for a filter of the root module without
/// `count`/`for_each`, whose expression no other instance shares.
pub(super) fn pattern_fix(
    ctx: &Context,
    filter: &Filter,
    pattern: &str,
    description: &str,
) -> Option<Fix> {
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

/// A note for a filter whose pattern is unknown before apply: under `control` when its
/// names say which control it serves, chain-wide (it may serve any) otherwise.
pub(super) fn unknown_pattern(ctx: &Context, filter: &Filter, control: Option<&str>) -> Finding {
    let reason = filter.pattern.as_ref().err().map_or("", String::as_str);
    let serves = match control {
        Some(id) => format!("whether it catches the `{id}` events"),
        None => "which control it serves".to_string(),
    };
    let mut f = finding(
        Defect::Unverifiable,
        format!(
            "the pattern of filter `{}` is not known before apply ({reason}), so {serves} cannot be checked",
            filter.instance.address
        ),
        Some(filter.instance),
    );
    if let Some(control) = control {
        f.rule = control.to_string();
        f.control = Some(control.to_string());
    }
    f.location = ctx.attribute(filter.instance, "pattern");
    f.help = Some(unknown_remedy(reason).to_string());
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_clause_is_the_one_whose_removal_matches_the_missed_events() {
        let controls = crate::rules::controls().expect("rule data");
        let control = controls
            .iter()
            .find(|c| c.id == "cloudtrail-config-changes")
            .expect("control");
        let text = r#"{ (($.eventName = CreateTrail) || ($.eventName = StopLogging)) && ($.requestParameters.name = "cloudtrail") }"#;
        let pattern = crate::pattern::parse(text).expect("parses");
        let missed: Vec<(&str, &LogEvent)> = events(&control.must_match)
            .into_iter()
            .filter(|(name, _)| ["CreateTrail", "StopLogging"].contains(name))
            .collect();
        assert_eq!(missed.len(), 2);
        let clause = narrowing_clause(&pattern, &missed).expect("a clause narrows it");
        assert_eq!(
            &text[clause.range()],
            r#"$.requestParameters.name = "cloudtrail""#
        );
    }

    #[test]
    fn an_unknown_value_gets_a_remedy_that_works() {
        let computed = unknown_remedy("aws_cloudwatch_log_group.x.arn is known only after apply");
        assert!(computed.contains("cannot supply") && computed.contains("--plan"));
        let variable = unknown_remedy("variable \"unset\" has no value: pass --var unset=...");
        assert!(variable.contains("--var NAME=VALUE"));
        assert!(!unknown_remedy("module \"m\" is not downloaded").contains("--var"));
    }
}
