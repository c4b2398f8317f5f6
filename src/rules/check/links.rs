//! The links after the filter: metric value, the alarm on the metric, whether it can fire
//! on one event, and whether it notifies a topic somebody subscribes to.

use super::context::{Context, finding};
use crate::distance::distance_up_to;
use crate::model::{Action, Alarm, Filter, Graph, Metric, Target, Unresolved, WatchedMetric};
use crate::rules::Defect;
use crate::rules::{Finding, Level, Related};

/// Whether a filter's events reach a human.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Working,
    /// Depends on something outside the configuration or unknown before apply.
    Unverifiable(String),
    Broken,
}

/// A filter's downstream state, and the defects found on the way (their rule id is set
/// by the coverage check to the control the filter serves).
#[derive(Debug, Clone)]
pub struct FilterLink {
    pub state: State,
    pub problems: Vec<Finding>,
    pub notes: Vec<Finding>,
    /// Why the chain cannot be verified (notes at the unknown link), when it cannot.
    pub unverifiable: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Same {
    Yes,
    No,
    Maybe,
}

/// Whether two parts of metrics (names or namespaces) are equal after apply. Known values
/// decide first; two unknowns are equal when they are the same input or expression, and
/// differ when their known parts disagree (`"${var.p}-root"` is never `"iam"`).
fn same_part(a: &Result<String, Unresolved>, b: &Result<String, Unresolved>) -> Same {
    match (a, b) {
        (Ok(x), Ok(y)) => {
            if x == y {
                Same::Yes
            } else {
                Same::No
            }
        }
        (Ok(text), Err(u)) | (Err(u), Ok(text)) => match &u.partial {
            Some(p) if !p.may_be(text) => Same::No,
            _ => Same::Maybe,
        },
        (Err(x), Err(y)) => {
            if x.identity.is_some() && x.identity == y.identity {
                Same::Yes
            } else if let (Some(p), Some(q)) = (&x.partial, &y.partial)
                && !p.may_equal(q)
            {
                Same::No
            } else {
                Same::Maybe
            }
        }
    }
}

/// Two metrics differ when one part differs, are the same when both parts are.
fn same_metric(a: &Metric, b: &Metric) -> Same {
    match (
        same_part(&a.namespace, &b.namespace),
        same_part(&a.name, &b.name),
    ) {
        (Same::No, _) | (_, Same::No) => Same::No,
        (Same::Yes, Same::Yes) => Same::Yes,
        _ => Same::Maybe,
    }
}

/// The value that keeps a filter's metric and an alarm's apart from a verdict: a note at that
/// value, naming it and why it is unknown. The message names the cause only, so the same
/// unknown met by several filters is one note.
fn undecided(
    filter: &Filter,
    metric: &Metric,
    alarm: &Alarm,
    watched: &WatchedMetric,
    ctx: &Context,
) -> Finding {
    let filter_side = [
        (&metric.name, "metric_transformation[0].name"),
        (&metric.namespace, "metric_transformation[0].namespace"),
    ];
    let namespace_path = watched.path.replace("metric_name", "namespace");
    let alarm_side = [
        (&watched.metric.name, watched.path.as_str()),
        (&watched.metric.namespace, namespace_path.as_str()),
    ];
    let unknown = |side: &[(&Result<String, Unresolved>, &str); 2]| {
        side.iter()
            .find_map(|(v, path)| v.as_ref().err().map(|u| (u.clone(), path.to_string())))
    };
    // The filter's own unknown first: it leaves every alarm undecided, not just this one.
    let (instance, (u, path), message) = match unknown(&filter_side) {
        Some(found) => (
            filter.instance,
            found,
            "which alarm watches the filter's metric",
        ),
        None => (
            alarm.instance,
            unknown(&alarm_side).unwrap_or_default(),
            "which metric filter's events the alarm counts",
        ),
    };
    let mut note = finding(
        Defect::Unverifiable,
        format!(
            "`{path}` of `{}` is not known before apply, so trailwatch cannot tell {message}: {u}",
            instance.address
        ),
        Some(instance),
    );
    note.location = ctx.attribute(instance, &path);
    note.label = Some(format!("`{path}` is not known before apply"));
    note.help = Some(help_for(&u.reason));
    note
}

/// A remedy that works for this unknown: `--var` supplies a variable, not an attribute
/// the provider computes.
fn help_for(reason: &str) -> String {
    if reason.contains("not downloaded") {
        NOT_DOWNLOADED_HELP.to_string()
    } else if reason.contains("known only after apply") || reason.contains("read from the cloud") {
        // `--var` cannot supply what the provider computes or reads at plan.
        "check a plan JSON (`terraform show -json plan > plan.json; trailwatch check --plan plan.json`), or write the value as a literal or a variable".to_string()
    } else {
        "give the value (`--var`, `--var-file`), or check a plan JSON (`--plan`)".to_string()
    }
}

fn describe(metric: &Metric) -> String {
    format!(
        "`{}` in namespace `{}`",
        metric.name.as_deref().unwrap_or("?"),
        metric.namespace.as_deref().unwrap_or("?"),
    )
}

/// A near miss: the same name in another namespace, or a similar name in the same one.
fn near_miss(filter: &Metric, alarm: &Metric) -> Option<String> {
    let (Ok(fns), Ok(fname), Ok(ans), Ok(aname)) = (
        &filter.namespace,
        &filter.name,
        &alarm.namespace,
        &alarm.name,
    ) else {
        return None;
    };
    if fname == aname && fns != ans {
        return Some(format!(
            "namespace differs: the alarm uses `{ans}`, the filter publishes to `{fns}`"
        ));
    }
    if fns != ans || fname == aname {
        return None;
    }
    // Every filter meets every alarm of its root, so the distance gives up early.
    let limit = (fname.len().max(aname.len()) / 3).max(2);
    let close = aname.ends_with(fname.as_str())
        || fname.ends_with(aname.as_str())
        || distance_up_to(fname, aname, limit).is_some();
    if close {
        return Some(format!(
            "metric name differs: the alarm watches `{aname}`, the filter publishes `{fname}`"
        ));
    }
    None
}

#[derive(Debug, Clone)]
enum Notify {
    Ok,
    Unverifiable(Box<Finding>),
    Broken(Box<Finding>),
}

impl Notify {
    fn with_fix(mut self, fix: Option<crate::rules::Fix>) -> Notify {
        if let Notify::Broken(f) = &mut self {
            f.fix = fix;
        }
        self
    }
}

/// Whether an alarm's actions reach a subscribed SNS topic. Topic defects are reported
/// once, under their own rule ids.
fn notify(alarm: &Alarm, graph: &Graph, ctx: &mut Context, subscribed: &[String]) -> Notify {
    let instance = alarm.instance;
    let broken = |ctx: &Context, path: &str, message: String, help: &str| {
        let mut f = finding(Defect::AlarmNoActions, message, Some(instance));
        f.location = ctx.attribute(instance, path);
        f.help = Some(help.to_string());
        Notify::Broken(Box::new(f))
    };
    if alarm.actions_enabled == Some(false) {
        return broken(
            ctx,
            "actions_enabled",
            format!(
                "alarm `{}` has `actions_enabled = false`: it changes state but notifies nobody",
                instance.address
            ),
            "remove `actions_enabled = false`",
        )
        .with_fix(ctx.literal_fix(
            instance,
            "actions_enabled",
            "true",
            "change `actions_enabled`".into(),
        ));
    }
    if let Some(reason) = &alarm.actions_unknown {
        let mut note = finding(
            Defect::Unverifiable,
            format!("`alarm_actions` is not known before apply: {reason}"),
            Some(instance),
        );
        note.location = ctx.attribute(instance, "alarm_actions");
        note.label = Some("not known before apply".to_string());
        note.help = Some(help_for(reason));
        return Notify::Unverifiable(Box::new(note));
    }
    if alarm.no_actions {
        return broken(
            ctx,
            "alarm_actions",
            format!(
                "alarm `{}` has no `alarm_actions`: when it fires, nobody is told",
                instance.address
            ),
            "set `alarm_actions = [aws_sns_topic.security_alerts.arn]`",
        );
    }
    let mut unverifiable = None;
    let mut broken_topics = Vec::new();
    for (i, action) in alarm.actions.iter().enumerate() {
        // The same unknown topic a subscription subscribes (the same variable or
        // expression): subscribed, whatever its ARN turns out to be.
        let identity = alarm.action_identities.get(i).cloned().flatten();
        if matches!(action, Action::Topic(Target::Unknown(_)))
            && identity.is_some()
            && graph
                .subscriptions
                .iter()
                .any(|s| s.topic_identity == identity)
        {
            return Notify::Ok;
        }
        match action {
            Action::Topic(Target::Resolved(t)) => {
                let topic = &graph.topics[*t];
                let subscribed = graph
                    .subscriptions
                    .iter()
                    .any(|s| s.topic == Target::Resolved(*t));
                let managed_key = topic.kms_key.as_deref() == Some("alias/aws/sns");
                if subscribed && !managed_key {
                    return Notify::Ok;
                }
                if let Some(module) = (!subscribed && !managed_key)
                    .then(|| graph.handed_to(&topic.instance.address, topic.name.as_deref()))
                    .flatten()
                {
                    unverifiable = Some((
                        format!(
                            "alarm `{}` notifies topic `{}`, which is handed to `{}`; that module is not downloaded and may subscribe it",
                            instance.address, topic.instance.address, module.instance.address
                        ),
                        NOT_DOWNLOADED_HELP.to_string(),
                    ));
                    continue;
                }
                broken_topics.push(topic.instance.address.clone());
            }
            Action::Topic(Target::External(arn)) if subscribed.contains(arn) => return Notify::Ok,
            Action::Topic(Target::External(arn)) => {
                unverifiable = Some((
                    format!(
                        "the alarm notifies `{arn}`, a topic outside this configuration whose subscribers cannot be checked"
                    ),
                    format!(
                        "when `{arn}` has subscribers, declare it in `.trailwatch.toml`: `subscribed_topics = [\"{arn}\"]`"
                    ),
                ));
            }
            Action::Topic(Target::Unknown(reason)) => {
                unverifiable = Some((
                    format!("the alarm notifies a topic that is not known before apply: {reason}"),
                    help_for(reason),
                ));
            }
            Action::Topic(Target::Missing) | Action::NotSns(_) => {}
        }
    }
    if let Some((reason, help)) = unverifiable {
        let mut note = finding(Defect::Unverifiable, reason, Some(instance));
        note.location = ctx.attribute(instance, "alarm_actions");
        note.label = Some("which topic, and who receives it, is not known here".to_string());
        note.help = Some(help);
        return Notify::Unverifiable(Box::new(note));
    }
    if !broken_topics.is_empty() {
        // The topic's own finding says why; this one is folded into it.
        let mut f = finding(
            Defect::AlarmNoActions,
            format!(
                "alarm `{}` notifies {}, which cannot deliver to anyone",
                instance.address,
                broken_topics
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            Some(instance),
        );
        f.location = ctx.attribute(instance, "alarm_actions");
        f.help = Some("see the topic's own finding".to_string());
        f.caused_by = broken_topics;
        return Notify::Broken(Box::new(f));
    }
    broken(
        ctx,
        "alarm_actions",
        format!(
            "alarm `{}` has no SNS topic among its actions: nobody is told",
            instance.address
        ),
        "add an SNS topic ARN to `alarm_actions`",
    )
}

/// How to let trailwatch see inside a module that is not downloaded.
pub const NOT_DOWNLOADED_HELP: &str = "run `terraform init` in this root module (it downloads the module into `.terraform/modules`), or check a plan JSON with `--plan`";

/// Topic defects, once per topic that monitoring alarms notify.
fn check_topics(graph: &Graph, ctx: &mut Context) {
    for (t, topic) in graph.topics.iter().enumerate() {
        let used = graph
            .alarms
            .iter()
            .any(|a| a.actions.contains(&Action::Topic(Target::Resolved(t))));
        if !used {
            continue;
        }
        let instance = topic.instance;
        let subscribed = graph
            .subscriptions
            .iter()
            .any(|s| s.topic == Target::Resolved(t));
        let module = graph.handed_to(&instance.address, topic.name.as_deref());
        if let (false, Some(module)) = (subscribed, module) {
            let mut f = finding(
                Defect::Unverifiable,
                format!(
                    "topic `{}` has no subscription here, but it is handed to `{}`, which is not downloaded and may subscribe it",
                    instance.address, module.instance.address
                ),
                Some(instance),
            );
            f.location = ctx.block_head(instance);
            f.help = Some(NOT_DOWNLOADED_HELP.to_string());
            ctx.push(f);
        } else if !subscribed {
            let mut f = finding(
                Defect::TopicNoSubscription,
                format!(
                    "topic `{}` has no subscription: alarms publish to it and nobody receives them",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.block_head(instance);
            f.label = Some("no `aws_sns_topic_subscription` for this topic".to_string());
            f.help = Some("add an `aws_sns_topic_subscription` for this topic".to_string());
            ctx.push(f);
        }
        if topic.kms_key.as_deref() == Some("alias/aws/sns") {
            let mut f = finding(
                Defect::TopicAwsManagedKey,
                format!(
                    "topic `{}` is encrypted with the AWS-managed key `alias/aws/sns`, which CloudWatch cannot use: every alarm notification fails",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.attribute(instance, "kms_master_key_id");
            f.help = Some("use a customer-managed KMS key whose policy allows `cloudwatch.amazonaws.com` (kms:Decrypt, kms:GenerateDataKey*)".to_string());
            ctx.push(f);
        }
    }
}

/// Why the alarm cannot fire on one event through this metric, if it cannot.
fn cannot_fire(
    alarm: &Alarm,
    watched: &WatchedMetric,
    filter: &Filter,
    ctx: &Context,
) -> Option<Finding> {
    let instance = alarm.instance;
    let value = filter.value.unwrap_or(1.0);
    let stat = watched.stat.as_deref().or(alarm.statistic.as_deref());
    let stat_path = if watched.stat.is_some() {
        watched.path.replace("metric_name", "stat")
    } else {
        "statistic".to_string()
    };
    // `fix`: the value to write at `path` instead, when one value alone repairs the alarm.
    let problem = |path: &str, message: String, help: &str, fix: Option<String>| {
        let mut f = finding(Defect::AlarmCannotFire, message, Some(instance));
        f.location = ctx.attribute(instance, path);
        f.help = Some(help.to_string());
        f.fix = fix
            .and_then(|value| ctx.literal_fix(instance, path, &value, format!("change `{path}`")));
        Some(f)
    };
    let diluted = filter.default_value.is_some() && matches!(stat, Some("Average" | "Minimum"));
    if diluted {
        return problem(
            &stat_path,
            format!(
                "alarm `{}` uses `{}` while the metric has a default value: the zeros published in quiet periods pull the statistic below the threshold, so single events are hidden",
                instance.address,
                stat.unwrap_or_default()
            ),
            "use `statistic = \"Sum\"`",
            Some("\"Sum\"".to_string()),
        );
    }
    let observed = match stat {
        Some("SampleCount") => 1.0,
        _ => value,
    };
    if let (Some(threshold), Some(comparison)) = (alarm.threshold, alarm.comparison.as_deref()) {
        let fires = match comparison {
            "GreaterThanOrEqualToThreshold" => Some(observed >= threshold),
            "GreaterThanThreshold" => Some(observed > threshold),
            "LessThanThreshold"
            | "LessThanOrEqualToThreshold"
            | "LessThanLowerOrGreaterThanUpperThreshold"
            | "LessThanLowerThreshold" => Some(false),
            _ => None,
        };
        if fires == Some(false) {
            let (path, fix) = if comparison.starts_with("Less") {
                let operator = (threshold <= observed)
                    .then(|| "\"GreaterThanOrEqualToThreshold\"".to_string());
                ("comparison_operator", operator)
            } else {
                // The largest threshold one event still reaches.
                let reachable = if comparison == "GreaterThanThreshold" {
                    (observed > 0.0).then_some(0.0)
                } else {
                    Some(observed)
                };
                ("threshold", reachable.map(|t| t.to_string()))
            };
            // Say it in the alarm's own numbers: what one event publishes, what the
            // statistic then is, and what it is compared with.
            let statistic = stat.unwrap_or("statistic");
            let why = match comparison {
                "GreaterThanOrEqualToThreshold" => format!("never reaches {threshold}"),
                "GreaterThanThreshold" => format!("never exceeds {threshold}"),
                _ => format!(
                    "rises with each event, while `{comparison}` fires only when it falls below {threshold}"
                ),
            };
            let mut f = problem(
                path,
                format!(
                    "alarm `{}` cannot fire on one event: each matching event publishes {value}, so the `{statistic}` of a period with one event is {observed}, which {why}",
                    instance.address
                ),
                "use `threshold = 1` with `comparison_operator = \"GreaterThanOrEqualToThreshold\"`",
                fix,
            )?;
            f.label = Some(format!("one event gives {observed}, which {why}"));
            return Some(f);
        }
    }
    let periods = alarm.evaluation_periods.unwrap_or(1.0);
    let datapoints = alarm.datapoints_to_alarm.unwrap_or(periods);
    if datapoints > 1.0 {
        let path = if alarm.datapoints_to_alarm.is_some() {
            "datapoints_to_alarm"
        } else {
            "evaluation_periods"
        };
        return problem(
            path,
            format!(
                "alarm `{}` needs {datapoints} breaching periods before it fires: one event in one period never fires it",
                instance.address
            ),
            "use `evaluation_periods = 1` (or `datapoints_to_alarm = 1`)",
            Some("1".to_string()),
        );
    }
    let period = watched.period.or(alarm.period);
    if let Some(period) = period.filter(|p| *p > 86_400.0) {
        let mut f = problem(
            if watched.period.is_some() {
                "metric_query[0].metric[0].period"
            } else {
                "period"
            },
            format!(
                "alarm `{}` evaluates periods of {period} seconds: an event is reported more than a day late",
                instance.address
            ),
            "use `period = 300`",
            Some("300".to_string()),
        )?;
        // Late, not silent: its own defect, a warning.
        f.defect = Defect::AlarmPeriodOverADay.id().to_string();
        f.level = Defect::AlarmPeriodOverADay.fixed_level();
        return Some(f);
    }
    None
}

/// Analyses every filter's downstream chain, and reports alarms that watch nothing.
pub fn analyze(graph: &Graph, ctx: &mut Context, subscribed: &[String]) -> Vec<FilterLink> {
    check_topics(graph, ctx);
    let notifies: Vec<Notify> = graph
        .alarms
        .iter()
        .map(|a| notify(a, graph, ctx, subscribed))
        .collect();
    // claimed[a][w]: some filter publishes, for certain, the metric alarm `a` watches as `w`.
    let claimed: Vec<Vec<bool>> = graph
        .alarms
        .iter()
        .map(|alarm| {
            alarm
                .metrics
                .iter()
                .map(|w| {
                    graph.filters.iter().any(|f| {
                        f.metric
                            .as_ref()
                            .is_some_and(|m| same_metric(m, &w.metric) == Same::Yes)
                    })
                })
                .collect()
        })
        .collect();
    let mut links = Vec::with_capacity(graph.filters.len());
    for filter in &graph.filters {
        let instance = filter.instance;
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        let mut state = State::Broken;
        if let Some(v) = filter.value.filter(|v| *v <= 0.0) {
            let mut f = finding(
                Defect::MetricValueNotPositive,
                format!(
                    "filter `{}` publishes {v} for each matching event, so the metric never rises and no alarm can fire",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.attribute(instance, "metric_transformation[0].value");
            f.help = Some("use `value = \"1\"`".to_string());
            f.fix = ctx.literal_fix(
                instance,
                "metric_transformation[0].value",
                "\"1\"",
                "change the metric value".into(),
            );
            problems.push(f);
            links.push(FilterLink {
                state,
                problems,
                notes,
                unverifiable: Vec::new(),
            });
            continue;
        }
        let Some(metric) = &filter.metric else {
            links.push(FilterLink {
                state,
                problems,
                notes,
                unverifiable: Vec::new(),
            });
            continue;
        };
        let mut near = Vec::new();
        let mut exact = Vec::new();
        let mut undecided_by = None;
        for (a, alarm) in graph.alarms.iter().enumerate() {
            for (w, watched) in alarm.metrics.iter().enumerate() {
                match same_metric(metric, &watched.metric) {
                    Same::No => {
                        if let Some(why) = near_miss(metric, &watched.metric)
                            && let Some(location) = ctx.attribute(alarm.instance, &watched.path)
                        {
                            near.push(Related {
                                location,
                                message: format!("alarm `{}`: {why}", alarm.instance.address),
                            });
                        }
                    }
                    // An alarm whose metric some filter publishes for certain watches that
                    // one: its unknown parts say nothing about this filter.
                    Same::Maybe if !claimed[a][w] => {
                        undecided_by.get_or_insert((alarm, watched));
                    }
                    Same::Maybe => {}
                    Same::Yes => exact.push((a, alarm, watched)),
                }
            }
        }
        let watchers = exact.len();
        let mut unverifiable = Vec::new();
        // A filter with an alarm known to watch it is judged by that alarm alone.
        if watchers == 0
            && let Some((alarm, watched)) = undecided_by
        {
            let note = undecided(filter, metric, alarm, watched, ctx);
            state = State::Unverifiable(note.message.clone());
            unverifiable.push(note);
        }
        for (a, alarm, watched) in exact {
            if let Some(f) = cannot_fire(alarm, watched, filter, ctx) {
                if f.level == Level::Warning {
                    notes.push(f);
                } else {
                    problems.push(f);
                    continue;
                }
            }
            match &notifies[a] {
                Notify::Ok => state = State::Working,
                Notify::Unverifiable(note) => {
                    if state != State::Working {
                        state = State::Unverifiable(note.message.clone());
                        unverifiable.push((**note).clone());
                    }
                }
                Notify::Broken(f) => problems.push((**f).clone()),
            }
        }
        if watchers == 0 && state == State::Broken {
            let mut f = finding(
                Defect::FilterMetricWithoutAlarm,
                format!(
                    "no alarm watches metric {} that filter `{}` publishes: matching events are counted and nobody is told",
                    describe(metric),
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.attribute(instance, "metric_transformation[0].name");
            f.label = Some("no alarm watches this metric".to_string());
            f.help = Some(match near.first() {
                Some(r) => format!("{}; make the alarm's `metric_name` and `namespace` equal the filter's (reference them instead of repeating literals)", r.message),
                None => "add an `aws_cloudwatch_metric_alarm` with the same `metric_name` and `namespace`".to_string(),
            });
            f.related = near;
            problems.push(f);
        }
        if state == State::Working {
            problems.clear();
        }
        links.push(FilterLink {
            state,
            problems,
            notes,
            unverifiable,
        });
    }
    report_orphan_alarms(graph, ctx);
    links
}

/// Alarms whose metric no filter publishes, when they look like monitoring alarms (their
/// namespace is one the filters use, or their metric name is close to a filter's).
fn report_orphan_alarms(graph: &Graph, ctx: &mut Context) {
    let published: Vec<&Metric> = graph
        .filters
        .iter()
        .filter_map(|f| f.metric.as_ref())
        .collect();
    for alarm in &graph.alarms {
        for watched in &alarm.metrics {
            let (Ok(namespace), Ok(name)) = (&watched.metric.namespace, &watched.metric.name)
            else {
                continue;
            };
            if published
                .iter()
                .any(|m| same_metric(m, &watched.metric) != Same::No)
            {
                continue;
            }
            let related_filter = published
                .iter()
                .find_map(|m| near_miss(m, &watched.metric).map(|why| (m, why)));
            let monitoring_namespace = published
                .iter()
                .any(|m| m.namespace.as_deref() == Ok(namespace.as_str()));
            if related_filter.is_none() && !monitoring_namespace {
                continue;
            }
            let instance = alarm.instance;
            let mut f = finding(
                Defect::AlarmMetricNotPublished,
                format!(
                    "alarm `{}` watches metric `{name}` in namespace `{namespace}`, which no metric filter publishes: it never receives data",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.attribute(instance, &watched.path);
            f.help = Some(match &related_filter {
                Some((_, why)) => format!("{why}; use the filter's name and namespace"),
                None => "use the `metric_transformation` name and namespace of the filter this alarm is for".to_string(),
            });
            ctx.push(f);
        }
    }
}
