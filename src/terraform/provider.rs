//! What the AWS provider computes from a resource's arguments: its `id`, `arn` and `name`.
//!
//! Read from the source of hashicorp/terraform-provider-aws (`internal/service/…`, each
//! entry names its file and commit; /work/shared/REFERENCE.md keeps the evidence). A metric
//! filter's `id` is its `name` (`d.SetId(name)`), so `metric_name =
//! aws_cloudwatch_log_metric_filter.x.id` is known at plan time. An ARN's partition, region
//! and account come from the provider and the credentials, never from the arguments: such an
//! ARN stays a reference (identity) that also carries its known part, so it still resolves by
//! name.

use super::value::{Partial, Reference, Value};

/// How the provider computes one attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The value of an argument (`id` = `name`).
    Argument(&'static str),
    /// The same value as another attribute (`id` = `arn`).
    Same(&'static str),
    /// `arn:<partition>:<service>:<region>:<account>:<prefix><argument>`.
    Arn {
        service: &'static str,
        prefix: &'static str,
        argument: &'static str,
    },
    /// Arguments joined by `separator`, the first (an EventBridge bus) left out when it is
    /// absent or `default`; unknown when another one is absent (the provider generates it).
    BusQualified {
        arguments: &'static [&'static str],
        separator: &'static str,
    },
}

/// One derived attribute of one resource type.
#[derive(Debug, Clone, Copy)]
pub struct Derived {
    pub rtype: &'static str,
    pub attribute: &'static str,
    pub rule: Rule,
    /// `internal/service/<file>@<commit>` where the provider sets it.
    pub source: &'static str,
    /// The provider version where the rule changed, and what it was before.
    pub changed: Option<&'static str>,
}

const fn derived(
    rtype: &'static str,
    attribute: &'static str,
    rule: Rule,
    source: &'static str,
) -> Derived {
    Derived {
        rtype,
        attribute,
        rule,
        source,
        changed: None,
    }
}

const fn arn(service: &'static str, prefix: &'static str, argument: &'static str) -> Rule {
    Rule::Arn {
        service,
        prefix,
        argument,
    }
}

use Rule::{Argument, Same};

/// Every attribute the provider derives from arguments, for the types trailwatch reads.
/// Attributes not listed (a subscription's ARN, a key's id) are known only after apply.
pub const DERIVED: &[Derived] = &[
    derived(
        "aws_cloudwatch_log_metric_filter",
        "id",
        Argument("name"),
        "logs/metric_filter.go@0f14e6f",
    ),
    derived(
        "aws_cloudwatch_metric_alarm",
        "id",
        Argument("alarm_name"),
        "cloudwatch/metric_alarm.go@055611a",
    ),
    derived(
        "aws_cloudwatch_metric_alarm",
        "arn",
        arn("cloudwatch", "alarm:", "alarm_name"),
        "cloudwatch/metric_alarm.go@055611a",
    ),
    // A group without `name` (or with `name_prefix`) gets a generated name: unknown.
    derived(
        "aws_cloudwatch_log_group",
        "id",
        Argument("name"),
        "logs/group.go@0073593",
    ),
    Derived {
        changed: Some("3.0.0: before, the ARN ended in `:*`"),
        ..derived(
            "aws_cloudwatch_log_group",
            "arn",
            arn("logs", "log-group:", "name"),
            "logs/group.go@0073593",
        )
    },
    derived("aws_sns_topic", "id", Same("arn"), "sns/topic.go@00a3530"),
    derived(
        "aws_sns_topic",
        "arn",
        arn("sns", "", "name"),
        "sns/topic.go@00a3530",
    ),
    derived(
        "aws_sns_topic_policy",
        "id",
        Argument("arn"),
        "sns/topic_policy.go@00a3530",
    ),
    // The subscription's id and ARN end in a UUID the service makes: unknown.
    derived(
        "aws_sns_topic_subscription",
        "id",
        Same("arn"),
        "sns/topic_subscription.go@04a2e6e",
    ),
    Derived {
        changed: Some("5.25.0: before, `id` was the trail's name (trailUpgradeV0)"),
        ..derived(
            "aws_cloudtrail",
            "id",
            Same("arn"),
            "cloudtrail/trail.go@0a9af16",
        )
    },
    derived(
        "aws_cloudtrail",
        "arn",
        arn("cloudtrail", "trail/", "name"),
        "cloudtrail/trail.go@0a9af16",
    ),
    // The key id is a UUID the service makes: the key's id and ARN are unknown.
    derived("aws_kms_key", "id", Same("key_id"), "kms/key.go@00a3530"),
    // An alias's name includes `alias/`.
    derived(
        "aws_kms_alias",
        "id",
        Argument("name"),
        "kms/alias.go@01c0800",
    ),
    derived(
        "aws_kms_alias",
        "arn",
        arn("kms", "", "name"),
        "kms/alias.go@01c0800",
    ),
    Derived {
        changed: Some("3.13.0: `event_bus_name` (and the `<bus>/<name>` form) came with it"),
        ..derived(
            "aws_cloudwatch_event_rule",
            "id",
            Rule::BusQualified {
                arguments: &["event_bus_name", "name"],
                separator: "/",
            },
            "events/rule.go@0cdab4a",
        )
    },
    derived(
        "aws_cloudwatch_event_target",
        "id",
        Rule::BusQualified {
            arguments: &["event_bus_name", "rule", "target_id"],
            separator: "-",
        },
        "events/target.go@0762c41",
    ),
];

/// The rule for `attribute` of `rtype`, if the provider derives it from arguments.
pub fn rule(rtype: &str, attribute: &str) -> Option<&'static Derived> {
    DERIVED
        .iter()
        .find(|d| d.rtype == rtype && d.attribute == attribute)
}

/// The value of an attribute the configuration does not set, as the provider derives it:
/// `configured` reads the instance's arguments (`None` when not set). `None` when the
/// provider does not derive it.
pub fn derive(
    address: &str,
    attribute: &str,
    configured: &dyn Fn(&str) -> Option<Value>,
) -> Option<Value> {
    let d = rule(resource_type(address), attribute)?;
    let reference = |partial| {
        Value::Reference(Reference {
            address: address.to_string(),
            attribute: attribute.to_string(),
            partial,
        })
    };
    Some(match d.rule {
        Rule::Argument(argument) => configured(argument).unwrap_or_else(|| reference(None)),
        Rule::Same(other) => match configured(other) {
            Some(v) => v,
            None => derive(address, other, configured).unwrap_or_else(|| {
                Value::Reference(Reference {
                    address: address.to_string(),
                    attribute: other.to_string(),
                    partial: None,
                })
            }),
        },
        Rule::Arn {
            service,
            prefix,
            argument,
        } => {
            let name = configured(argument);
            reference(name.as_ref().and_then(Value::as_str).map(|name| {
                let mut p = Partial::default();
                p.push_text("arn:");
                p.push_hole(None);
                p.push_text(&format!(":{service}:"));
                p.push_hole(None);
                p.push_text(":");
                p.push_hole(None);
                p.push_text(&format!(":{prefix}{name}"));
                p
            }))
        }
        Rule::BusQualified {
            arguments,
            separator,
        } => {
            let mut parts = Vec::new();
            for (i, argument) in arguments.iter().enumerate() {
                match configured(argument) {
                    Some(Value::String(s)) if i == 0 && s.text == "default" => {}
                    None if i == 0 => {}
                    Some(Value::String(s)) => parts.push(s.text),
                    _ => return Some(reference(None)),
                }
            }
            Value::str(parts.join(separator))
        }
    })
}

/// `aws_sns_topic` in `module.m.aws_sns_topic.alerts["k"]` (and in `data.aws_x.y`).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<Value> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| Value::str(*v))
        }
    }

    #[test]
    fn a_metric_filter_id_is_its_name() {
        let v = derive(
            "aws_cloudwatch_log_metric_filter.x",
            "id",
            &args(&[("name", "root-usage")]),
        );
        assert_eq!(v.as_ref().and_then(Value::as_str), Some("root-usage"));
    }

    #[test]
    fn a_topic_id_is_its_arn_known_by_name_only() {
        let Some(Value::Reference(r)) = derive(
            "module.m.aws_sns_topic.t[0]",
            "id",
            &args(&[("name", "alerts")]),
        ) else {
            panic!("a reference")
        };
        assert_eq!(r.attribute, "arn");
        let partial = r.partial.expect("the name part is known");
        assert_eq!(partial.tail(), Some(":alerts"));
        assert_eq!(partial.to_string(), "arn:…:sns:…:…:alerts");
    }

    #[test]
    fn a_generated_name_stays_unknown() {
        let v = derive("aws_cloudwatch_log_group.x", "arn", &args(&[]));
        assert!(matches!(
            v,
            Some(Value::Reference(Reference { partial: None, .. }))
        ));
        assert!(derive("aws_sns_topic_subscription.s", "arn", &args(&[])).is_none());
    }

    #[test]
    fn an_event_rule_id_names_its_bus_unless_default() {
        let id = |pairs: &[(&str, &str)]| {
            derive("aws_cloudwatch_event_rule.r", "id", &args(pairs))
                .and_then(|v| v.as_str().map(str::to_string))
        };
        assert_eq!(id(&[("name", "r")]).as_deref(), Some("r"));
        assert_eq!(
            id(&[("event_bus_name", "default"), ("name", "r")]).as_deref(),
            Some("r")
        );
        assert_eq!(
            id(&[("event_bus_name", "b"), ("name", "r")]).as_deref(),
            Some("b/r")
        );
        let target = derive(
            "aws_cloudwatch_event_target.t",
            "id",
            &args(&[("rule", "r")]),
        );
        assert!(matches!(target, Some(Value::Reference(_))));
    }

    #[test]
    fn types_are_read_from_addresses() {
        assert_eq!(
            resource_type("module.a[\"k\"].aws_sns_topic.t"),
            "aws_sns_topic"
        );
        assert_eq!(resource_type("data.aws_region.current"), "aws_region");
    }
}
