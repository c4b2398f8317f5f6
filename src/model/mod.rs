//! The monitoring graph: trails → log groups → metric filters → metrics → alarms →
//! SNS topics → subscriptions, with every edge resolved by reference identity or by equal
//! literal name/ARN. An edge that leaves the configuration is `External`, one that
//! depends on a value unknown before apply is `Unknown`: neither passes nor fails.

mod build;
mod resolve;

pub use build::build;

use crate::terraform::Instance;
use crate::terraform::eval::NOT_DOWNLOADED;
use crate::terraform::value::{Partial, Str, Value};

/// The resource types the graph is built from (and module calls that are not downloaded).
pub fn is_monitoring_type(rtype: &str) -> bool {
    rtype == NOT_DOWNLOADED
        || matches!(
            rtype,
            "aws_cloudtrail"
                | "aws_cloudwatch_log_group"
                | "aws_cloudwatch_log_metric_filter"
                | "aws_cloudwatch_metric_alarm"
                | "aws_sns_topic"
                | "aws_sns_topic_subscription"
                | "aws_sns_topic_policy"
                | "aws_kms_key"
                | "aws_kms_alias"
        )
}

/// Where an edge leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Index of the resource in the graph's list of that kind.
    Resolved(usize),
    /// Named outside this configuration (a literal name or ARN, a data source).
    External(String),
    /// Not known before apply: why.
    Unknown(String),
    /// The attribute is not set.
    Missing,
}

#[derive(Debug)]
pub struct Trail<'a> {
    pub instance: &'a Instance,
    pub log_group: Target,
    /// `is_multi_region_trail` (None when unknown).
    pub multi_region: Option<bool>,
    pub logging: Option<bool>,
    /// Why management events are not all recorded, when they are not.
    pub management_gap: Option<String>,
    /// `include_global_service_events` (None when unknown; the provider's default is true).
    pub global_events: Option<bool>,
    /// `cloud_watch_logs_group_arn` as written, when CloudTrail refuses it (no `:*`).
    pub arn_refused: Option<String>,
}

#[derive(Debug)]
pub struct LogGroup<'a> {
    pub instance: &'a Instance,
    pub name: Option<String>,
}

#[derive(Debug)]
pub struct Filter<'a> {
    pub instance: &'a Instance,
    pub log_group: Target,
    /// The pattern text with its source mapping, or why it is unknown.
    pub pattern: Result<Str, String>,
    pub metric: Option<Metric>,
    /// `metric_transformation[0].value` as a number, when it is one.
    pub value: Option<f64>,
    pub value_text: Option<String>,
    pub default_value: Option<f64>,
}

/// A metric's identity. A part that is not a known string is `Err` (why, and what is known
/// of it).
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub namespace: Result<String, Unresolved>,
    pub name: Result<String, Unresolved>,
}

/// A value not known before apply.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unresolved {
    /// Why, naming the input it comes from and how to supply it.
    pub reason: String,
    /// Equal identities are equal values after apply: the same input or reference, or the
    /// same text around the same inputs (see [`crate::terraform::value::Unknown::identity`]).
    pub identity: Option<String>,
    /// The text around its unknown parts, when some is known.
    pub partial: Option<Partial>,
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

#[derive(Debug)]
pub struct Alarm<'a> {
    pub instance: &'a Instance,
    /// The metrics the alarm watches (one, or those in `metric_query` blocks).
    pub metrics: Vec<WatchedMetric>,
    pub statistic: Option<String>,
    pub threshold: Option<f64>,
    pub comparison: Option<String>,
    pub evaluation_periods: Option<f64>,
    pub datapoints_to_alarm: Option<f64>,
    pub period: Option<f64>,
    pub actions_enabled: Option<bool>,
    /// `alarm_actions`: each resolved to a topic, or why not.
    pub actions: Vec<Action>,
    /// True when `alarm_actions` is absent or an empty list.
    pub no_actions: bool,
    /// `alarm_actions` itself is unknown (a variable with no value).
    pub actions_unknown: Option<String>,
    /// The identity of each action that is not known before apply (by index in `actions`):
    /// a subscription whose `topic_arn` has the same one subscribes that topic.
    pub action_identities: Vec<Option<String>>,
}

#[derive(Debug, Clone)]
pub struct WatchedMetric {
    pub metric: Metric,
    /// `stat` of a `metric_query` metric (overrides the alarm's statistic).
    pub stat: Option<String>,
    pub period: Option<f64>,
    /// The attribute path, for locations (`metric_name`, `metric_query[0].metric[0].metric_name`).
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Topic(Target),
    /// An ARN of something other than an SNS topic (Auto Scaling, EC2, SSM, …).
    NotSns(String),
}

#[derive(Debug)]
pub struct Topic<'a> {
    pub instance: &'a Instance,
    pub name: Option<String>,
    pub kms_key: Option<String>,
}

#[derive(Debug)]
pub struct Subscription<'a> {
    pub instance: &'a Instance,
    pub topic: Target,
    /// The identity of `topic_arn` when it is not known before apply.
    pub topic_identity: Option<String>,
}

/// A registry or git module call whose module is not downloaded: whatever it creates is
/// unknown, and what the configuration hands to it may be completed there.
#[derive(Debug)]
pub struct NotDownloaded<'a> {
    pub instance: &'a Instance,
    /// Addresses of the resources its inputs refer to.
    pub handed: Vec<String>,
    /// The known strings among its inputs (names, ARNs).
    pub strings: Vec<String>,
}

impl NotDownloaded<'_> {
    /// Whether the resource at `address`, with this name (or ARN ending in it), is handed to
    /// the module.
    pub fn receives(&self, address: &str, name: Option<&str>) -> bool {
        self.handed.iter().any(|a| a == address)
            || name.is_some_and(|n| {
                self.strings
                    .iter()
                    .any(|s| s == n || s.rsplit_once(':').is_some_and(|(_, end)| end == n))
            })
    }

    pub fn source(&self) -> &str {
        self.instance
            .get("source")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Graph<'a> {
    pub trails: Vec<Trail<'a>>,
    pub log_groups: Vec<LogGroup<'a>>,
    pub filters: Vec<Filter<'a>>,
    pub alarms: Vec<Alarm<'a>>,
    pub topics: Vec<Topic<'a>>,
    pub subscriptions: Vec<Subscription<'a>>,
    pub not_downloaded: Vec<NotDownloaded<'a>>,
}

impl Graph<'_> {
    /// True when there is nothing to check: no trail, no metric filter, and no module that
    /// may hold them.
    pub fn is_empty(&self) -> bool {
        self.trails.is_empty() && self.filters.is_empty() && self.not_downloaded.is_empty()
    }

    /// Whether a module that is not downloaded may add monitoring to this configuration:
    /// there is no trail here (it may hold the whole chain), or a log group, topic, filter
    /// or alarm is handed to it. A module handed none of them (a VPC) adds none.
    pub fn modules_may_monitor(&self) -> bool {
        !self.not_downloaded.is_empty()
            && (self.trails.is_empty()
                || self.not_downloaded.iter().any(|m| {
                    self.log_groups
                        .iter()
                        .any(|g| m.receives(&g.instance.address, g.name.as_deref()))
                        || self
                            .topics
                            .iter()
                            .any(|t| m.receives(&t.instance.address, t.name.as_deref()))
                        || self
                            .filters
                            .iter()
                            .map(|f| f.instance)
                            .chain(self.alarms.iter().map(|a| a.instance))
                            .any(|i| m.receives(&i.address, None))
                        || self.uses_outputs_of(m)
                }))
    }

    /// Whether the chain reads an output of the module (a metric name, a topic).
    fn uses_outputs_of(&self, module: &NotDownloaded) -> bool {
        let prefix = format!("{}.", module.instance.address);
        let from_module =
            |identity: Option<&String>| identity.is_some_and(|i| i.starts_with(&prefix));
        let metric = |m: &Metric| {
            [&m.name, &m.namespace]
                .iter()
                .any(|part| from_module(part.as_ref().err().and_then(|u| u.identity.as_ref())))
        };
        self.filters
            .iter()
            .filter_map(|f| f.metric.as_ref())
            .any(metric)
            || self.alarms.iter().any(|a| {
                a.metrics.iter().any(|w| metric(&w.metric))
                    || a.action_identities.iter().any(|i| from_module(i.as_ref()))
            })
            || self
                .subscriptions
                .iter()
                .any(|s| from_module(s.topic_identity.as_ref()))
    }

    /// The module not downloaded that a resource is handed to, if one is.
    pub fn handed_to(&self, address: &str, name: Option<&str>) -> Option<&NotDownloaded<'_>> {
        self.not_downloaded
            .iter()
            .find(|m| m.receives(address, name))
    }
}
