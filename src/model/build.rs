//! Builds the graph from evaluated instances.

use super::resolve::{log_group_by_arn, log_group_by_name, may_be_sns, topic};
use super::{
    Action, Alarm, Filter, Graph, LogGroup, Metric, NotDownloaded, Subscription, Target, Topic,
    Trail, Unresolved, WatchedMetric,
};
use crate::terraform::eval::NOT_DOWNLOADED;
use crate::terraform::value::Value;
use crate::terraform::{Instance, provider};

fn known_str(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_string)
}

fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.text.trim().parse().ok(),
        _ => None,
    }
}

fn boolean(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.text.parse().ok(),
        _ => None,
    }
}

fn reason(value: Option<&Value>, what: &str) -> String {
    match value {
        None => format!("{what} is not set"),
        Some(Value::Unknown(u)) => u.reason.clone(),
        Some(Value::Reference(r)) => format!("{r} is known only after apply"),
        Some(other) => format!("{what} is a {}, not a string", other.type_name()),
    }
}

/// A reference to an attribute the provider derives from another instance's arguments, as
/// the provider derives it (a plan leaves `aws_cloudwatch_log_metric_filter.x.id` unknown).
fn through_instance(value: Option<&Value>, instances: &[Instance]) -> Option<Value> {
    let Some(Value::Reference(r)) = value else {
        return value.cloned();
    };
    let target = instances.iter().find(|i| !i.data && i.address == r.address);
    let derived = target.and_then(|i| {
        let configured = |name: &str| {
            i.attributes
                .get(name)
                .filter(|v| !matches!(v, Value::Null))
                .cloned()
        };
        provider::derive(&r.address, &r.attribute, &configured)
    });
    derived.or_else(|| value.cloned())
}

fn metric(
    instance: &Instance,
    name_path: &str,
    namespace_path: &str,
    instances: &[Instance],
) -> Metric {
    let name = through_instance(instance.get(name_path), instances);
    let namespace = through_instance(instance.get(namespace_path), instances);
    Metric {
        name: known_str(name.as_ref()).ok_or_else(|| unresolved(name.as_ref(), name_path)),
        namespace: known_str(namespace.as_ref())
            .ok_or_else(|| unresolved(namespace.as_ref(), namespace_path)),
    }
}

/// What makes a value not known before apply equal to another after apply.
fn identity(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Unknown(u) => u.identity(),
        Value::Reference(r) => Some(r.to_string()),
        _ => None,
    }
}

/// Why a value is not a known string, and what is known of it.
fn unresolved(value: Option<&Value>, what: &str) -> Unresolved {
    let partial = match value {
        Some(Value::Unknown(u)) => u.partial.clone(),
        Some(Value::Reference(r)) => r.partial.clone(),
        _ => None,
    };
    Unresolved {
        reason: reason(value, what),
        identity: identity(value),
        partial,
    }
}

/// Why CloudTrail refuses a trail's `cloud_watch_logs_group_arn`: it names the log group
/// with its log-stream wildcard, `…:log-group:NAME:*`. The provider's log group `arn` has
/// had no `:*` since v3.0.0, so `= aws_cloudwatch_log_group.x.arn` fails at apply
/// (InvalidCloudWatchLogsLogGroupArnException, terraform-provider-aws#14557).
fn arn_refused(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Reference(r)
            if r.attribute == "arn"
                && provider::resource_type(&r.address) == "aws_cloudwatch_log_group" =>
        {
            Some(r.to_string())
        }
        Value::String(s) if s.text.contains(":log-group:") && !s.text.ends_with(":*") => {
            Some(s.text.clone())
        }
        _ => None,
    }
}

/// Why a trail does not record every management event, if it does not.
fn management_gap(trail: &Instance) -> Option<String> {
    if let Some(Value::List(selectors)) = trail.get("event_selector") {
        for (i, selector) in selectors.iter().enumerate() {
            let Value::Map(fields) = selector else {
                continue;
            };
            if fields
                .get("include_management_events")
                .and_then(|v| boolean(Some(v)))
                == Some(false)
            {
                return Some(format!(
                    "event_selector[{i}] sets include_management_events = false"
                ));
            }
            if let Some(kind) = fields.get("read_write_type").and_then(Value::as_str)
                && kind != "All"
            {
                return Some(format!("event_selector[{i}] records `{kind}` events only"));
            }
        }
    }
    if let Some(Value::List(selectors)) = trail.get("advanced_event_selector")
        && !selectors.is_empty()
    {
        let mut management = false;
        for selector in selectors {
            let Value::Map(fields) = selector else {
                continue;
            };
            let Some(Value::List(field_selectors)) = fields.get("field_selector") else {
                continue;
            };
            let mut is_management = false;
            let mut read_only = false;
            for fs in field_selectors {
                let Value::Map(fs) = fs else { continue };
                let field = fs.get("field").and_then(Value::as_str);
                let equals: Vec<&str> = match fs.get("equals") {
                    Some(Value::List(items)) => items.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                if field == Some("eventCategory") && equals.contains(&"Management") {
                    is_management = true;
                }
                if field == Some("readOnly") {
                    read_only = true;
                }
            }
            if is_management && read_only {
                return Some("an advanced event selector records management events of one read/write type only".to_string());
            }
            management |= is_management;
        }
        if !management {
            return Some(
                "no advanced event selector selects `eventCategory = Management`".to_string(),
            );
        }
    }
    None
}

pub fn build(instances: &[Instance]) -> Graph<'_> {
    let mut graph = Graph::default();
    let managed = || instances.iter().filter(|i| !i.data);
    for instance in managed() {
        match instance.rtype.as_str() {
            "aws_cloudwatch_log_group" => graph.log_groups.push(LogGroup {
                instance,
                name: known_str(instance.get("name")),
            }),
            "aws_sns_topic" => graph.topics.push(Topic {
                instance,
                name: known_str(instance.get("name")),
                kms_key: known_str(instance.get("kms_master_key_id")),
            }),
            _ => {}
        }
    }
    for instance in managed() {
        match instance.rtype.as_str() {
            "aws_cloudtrail" => graph.trails.push(Trail {
                instance,
                log_group: log_group_by_arn(
                    instance.get("cloud_watch_logs_group_arn"),
                    &graph.log_groups,
                ),
                multi_region: match instance.get("is_multi_region_trail") {
                    None => Some(false),
                    value => boolean(value),
                },
                logging: match instance.get("enable_logging") {
                    None => Some(true),
                    value => boolean(value),
                },
                management_gap: management_gap(instance),
                global_events: match instance.get("include_global_service_events") {
                    None => Some(true),
                    value => boolean(value),
                },
                arn_refused: arn_refused(instance.get("cloud_watch_logs_group_arn")),
            }),
            "aws_cloudwatch_log_metric_filter" => {
                let pattern = match instance.get("pattern") {
                    Some(Value::String(s)) => Ok(s.clone()),
                    // Terraform requires `pattern`; an empty one matches everything.
                    None => Ok(Default::default()),
                    other => Err(reason(other, "pattern")),
                };
                let has_metric = instance.get("metric_transformation[0]").is_some();
                let value = instance.get("metric_transformation[0].value");
                graph.filters.push(Filter {
                    instance,
                    log_group: log_group_by_name(instance.get("log_group_name"), &graph.log_groups),
                    pattern,
                    metric: has_metric.then(|| {
                        metric(
                            instance,
                            "metric_transformation[0].name",
                            "metric_transformation[0].namespace",
                            instances,
                        )
                    }),
                    value: number(value),
                    value_text: known_str(value).or_else(|| number(value).map(|n| n.to_string())),
                    default_value: number(instance.get("metric_transformation[0].default_value")),
                });
            }
            NOT_DOWNLOADED => {
                let mut module = NotDownloaded {
                    instance,
                    handed: Vec::new(),
                    strings: Vec::new(),
                };
                for (name, value) in &instance.attributes {
                    if name != "source" && name != "reason" {
                        inputs_of(value, &mut module);
                    }
                }
                module.handed.sort();
                module.handed.dedup();
                graph.not_downloaded.push(module);
            }
            "aws_cloudwatch_metric_alarm" => {
                graph.alarms.push(alarm(instance, &graph.topics, instances));
            }
            "aws_sns_topic_subscription" => graph.subscriptions.push(Subscription {
                instance,
                topic: match instance.get("topic_arn") {
                    Some(v) => topic(v, &graph.topics),
                    None => Target::Missing,
                },
                topic_identity: identity(instance.get("topic_arn")),
            }),
            _ => {}
        }
    }
    graph
}

fn alarm<'a>(instance: &'a Instance, topics: &[Topic], instances: &[Instance]) -> Alarm<'a> {
    let mut metrics = Vec::new();
    if instance.get("metric_name").is_some() {
        metrics.push(WatchedMetric {
            metric: metric(instance, "metric_name", "namespace", instances),
            stat: None,
            period: None,
            path: "metric_name".to_string(),
        });
    }
    if let Some(Value::List(queries)) = instance.get("metric_query") {
        for i in 0..queries.len() {
            let base = format!("metric_query[{i}].metric[0]");
            if instance.get(&base).is_some() {
                metrics.push(WatchedMetric {
                    metric: metric(
                        instance,
                        &format!("{base}.metric_name"),
                        &format!("{base}.namespace"),
                        instances,
                    ),
                    stat: known_str(instance.get(&format!("{base}.stat"))),
                    period: number(instance.get(&format!("{base}.period"))),
                    path: format!("{base}.metric_name"),
                });
            }
        }
    }
    let raw_actions = instance.get("alarm_actions");
    let mut actions = Vec::new();
    let mut action_identities = Vec::new();
    let mut actions_unknown = None;
    match raw_actions {
        Some(Value::List(items)) => {
            for item in items {
                if may_be_sns(item) {
                    actions.push(Action::Topic(topic(item, topics)));
                    action_identities.push(identity(Some(item)));
                } else {
                    let named = item
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| {
                            super::resolve::references(item)
                                .first()
                                .map(|r| r.to_string())
                        })
                        .unwrap_or_default();
                    actions.push(Action::NotSns(named));
                    action_identities.push(None);
                }
            }
        }
        Some(other @ (Value::Unknown(_) | Value::Reference(_))) => {
            actions_unknown = Some(reason(Some(other), "alarm_actions"));
        }
        _ => {}
    }
    Alarm {
        instance,
        no_actions: actions.is_empty() && actions_unknown.is_none(),
        metrics,
        statistic: known_str(instance.get("statistic")),
        threshold: number(instance.get("threshold")),
        comparison: known_str(instance.get("comparison_operator")),
        evaluation_periods: number(instance.get("evaluation_periods")),
        datapoints_to_alarm: number(instance.get("datapoints_to_alarm")),
        period: number(instance.get("period")),
        actions_enabled: boolean(instance.get("actions_enabled")),
        actions,
        actions_unknown,
        action_identities,
    }
}

/// The resources and known strings an input of a module call carries, at any depth.
fn inputs_of(value: &Value, module: &mut NotDownloaded) {
    match value {
        Value::String(s) => module.strings.push(s.text.clone()),
        Value::List(items) => items.iter().for_each(|v| inputs_of(v, module)),
        Value::Map(entries) => entries.values().for_each(|v| inputs_of(v, module)),
        Value::Resource(r) => module.handed.push(r.address.clone()),
        other => module.handed.extend(
            super::resolve::references(other)
                .into_iter()
                .map(|r| r.address.clone()),
        ),
    }
}
