//! Edge resolution: a value (known string, reference, unknown) → the resource it names.

use super::{LogGroup, Target, Topic};
use crate::terraform::provider::resource_type;
use crate::terraform::value::{Reference, Unknown, Value};

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
    log_group(value, groups, |name, whole| whole.then_some(name))
}

/// The log-group name inside a log-group ARN (`arn:aws:logs:r:a:log-group:NAME:*`).
pub fn log_group_name_of_arn(arn: &str) -> Option<&str> {
    let rest = arn.split_once(":log-group:")?.1;
    Some(rest.strip_suffix(":*").unwrap_or(rest))
}

/// A log group named by a trail's `cloud_watch_logs_group_arn`: an ARN (known in full, or
/// its end after an unknown region and account) or a bare name.
pub fn log_group_by_arn(value: Option<&Value>, groups: &[LogGroup]) -> Target {
    log_group(value, groups, |text, whole| {
        match log_group_name_of_arn(text) {
            Some(name) => Some(name),
            None => whole.then_some(text),
        }
    })
}

/// The known end of a string value: all of it (`true`), or the text after its last unknown
/// part (`false`): `arn:aws:sns:${var.region}:${var.account}:alerts` ends in `:alerts`.
fn known_end(value: &Value) -> Option<(&str, bool)> {
    let partial = match value {
        Value::String(s) => return Some((&s.text, true)),
        Value::Reference(r) => r.partial.as_ref(),
        Value::Unknown(u) => u.partial.as_ref(),
        _ => None,
    };
    partial.and_then(|p| p.tail()).map(|t| (t, false))
}

/// How a value that is not known in full is shown: its known parts, else why it is unknown.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.text.clone(),
        Value::Reference(Reference {
            partial: Some(p), ..
        })
        | Value::Unknown(Unknown {
            partial: Some(p), ..
        }) => p.to_string(),
        other => unknown_reason(other),
    }
}

/// A log group by reference identity, else by the name `name_of` reads from the value's
/// known end (`true` when that is the whole value).
fn log_group(
    value: Option<&Value>,
    groups: &[LogGroup],
    name_of: fn(&str, bool) -> Option<&str>,
) -> Target {
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
    match known_end(value).and_then(|(text, whole)| name_of(text, whole)) {
        Some(name) => match groups.iter().position(|g| g.name.as_deref() == Some(name)) {
            Some(i) => Target::Resolved(i),
            None => Target::External(name.to_string()),
        },
        None => Target::Unknown(unknown_reason(value)),
    }
}

/// An SNS topic named by an ARN or a reference (`alarm_actions`, `topic_arn`); an ARN whose
/// region or account is unknown still names its topic.
pub fn topic(value: &Value, topics: &[Topic]) -> Target {
    if let Some(i) = by_address(
        value,
        topics.iter().map(|t| t.instance.address.as_str()),
        "aws_sns_topic",
    ) {
        return Target::Resolved(i);
    }
    let name = known_end(value).and_then(|(text, whole)| match text.rsplit_once(':') {
        Some((_, name)) => Some(name),
        None => whole.then_some(text),
    });
    match name {
        Some(name) => match topics.iter().position(|t| t.name.as_deref() == Some(name)) {
            Some(i) => Target::Resolved(i),
            None => Target::External(shown(value)),
        },
        None => Target::Unknown(unknown_reason(value)),
    }
}

/// True for an SNS topic ARN, or a value that may be one: an unknown, or a reference to
/// an `aws_sns_topic` (a reference to an Auto Scaling policy is not).
pub fn may_be_sns(value: &Value) -> bool {
    if let Some(arn) = value.as_str() {
        return arn.starts_with("arn:") && arn.split(':').nth(2) == Some("sns");
    }
    // `arn:aws:autoscaling:${region}:…` is known not to be a topic.
    let start = match value {
        Value::Unknown(Unknown {
            partial: Some(p), ..
        }) => p.head(),
        _ => None,
    };
    if let Some(start) = start
        && start.matches(':').count() >= 3
    {
        return start.starts_with("arn:") && start.split(':').nth(2) == Some("sns");
    }
    let refs = references(value);
    refs.is_empty()
        || refs
            .iter()
            .any(|r| resource_type(&r.address) == "aws_sns_topic")
}
