//! Edge resolution: a value (known string, reference, unknown) → the resource it names.

use super::{LogGroup, Target, Topic};
use crate::terraform::value::{Reference, Value};

/// The references a value carries: itself, or those an unknown value was computed from
/// (`"${aws_cloudwatch_log_group.x.arn}:*"`).
pub fn references(value: &Value) -> Vec<&Reference> {
    match value {
        Value::Reference(r) => vec![r],
        Value::Unknown(u) => u.derived_from.iter().collect(),
        _ => Vec::new(),
    }
}

fn by_address<'v>(
    value: &'v Value,
    addresses: impl Iterator<Item = &'v str> + Clone,
    kind: &str,
) -> Option<usize> {
    references(value).into_iter().find_map(|r| {
        if !r.address.contains(kind) {
            return None;
        }
        addresses.clone().position(|a| a == r.address)
    })
}

fn unknown_reason(value: &Value) -> String {
    match value {
        Value::Unknown(u) => u.reason.clone(),
        Value::Reference(r) => format!("{r} is known only after apply"),
        other => format!("a {} where a string was expected", other.type_name()),
    }
}

/// A log group named by `log_group_name` (a name or a reference to a log group).
pub fn log_group_by_name(value: Option<&Value>, groups: &[LogGroup]) -> Target {
    log_group(value, groups, |name| name)
}

/// The log-group name inside a log-group ARN (`arn:aws:logs:r:a:log-group:NAME:*`).
pub fn log_group_name_of_arn(arn: &str) -> Option<&str> {
    let rest = arn.split_once(":log-group:")?.1;
    Some(rest.strip_suffix(":*").unwrap_or(rest))
}

/// A log group named by a trail's `cloud_watch_logs_group_arn`.
pub fn log_group_by_arn(value: Option<&Value>, groups: &[LogGroup]) -> Target {
    log_group(value, groups, |text| {
        log_group_name_of_arn(text).unwrap_or(text)
    })
}

/// A log group by reference identity, else by the name `name_of` reads from the string.
fn log_group(value: Option<&Value>, groups: &[LogGroup], name_of: fn(&str) -> &str) -> Target {
    let Some(value) = value else {
        return Target::Missing;
    };
    if let Some(i) = by_address(
        value,
        groups.iter().map(|g| g.instance.address.as_str()),
        "aws_cloudwatch_log_group",
    ) {
        return Target::Resolved(i);
    }
    match value.as_str().map(name_of) {
        Some(name) => match groups.iter().position(|g| g.name.as_deref() == Some(name)) {
            Some(i) => Target::Resolved(i),
            None => Target::External(name.to_string()),
        },
        None => Target::Unknown(unknown_reason(value)),
    }
}

/// An SNS topic named by an ARN or a reference (`alarm_actions`, `topic_arn`).
pub fn topic(value: &Value, topics: &[Topic]) -> Target {
    if let Some(i) = by_address(
        value,
        topics.iter().map(|t| t.instance.address.as_str()),
        "aws_sns_topic",
    ) {
        return Target::Resolved(i);
    }
    match value.as_str() {
        Some(arn) => {
            let name = arn.rsplit(':').next().unwrap_or(arn);
            match topics.iter().position(|t| t.name.as_deref() == Some(name)) {
                Some(i) => Target::Resolved(i),
                None => Target::External(arn.to_string()),
            }
        }
        None => Target::Unknown(unknown_reason(value)),
    }
}

/// True for an SNS topic ARN, or a value that may be one: an unknown, or a reference to
/// an `aws_sns_topic` (a reference to an Auto Scaling policy is not).
pub fn may_be_sns(value: &Value) -> bool {
    if let Some(arn) = value.as_str() {
        return arn.starts_with("arn:") && arn.split(':').nth(2) == Some("sns");
    }
    let refs = references(value);
    refs.is_empty()
        || refs
            .iter()
            .any(|r| resource_type(&r.address) == "aws_sns_topic")
}

/// `aws_sns_topic` in `module.m.aws_sns_topic.alerts["k"]`.
pub fn resource_type(address: &str) -> &str {
    let mut parts = address.split('.');
    loop {
        match parts.next() {
            Some("module") => {
                parts.next();
            }
            Some("data") => return parts.next().unwrap_or_default(),
            Some(kind) => return kind,
            None => return "",
        }
    }
}
