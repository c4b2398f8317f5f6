//! Rules about links every control shares (the trail, the topic, the configuration as a
//! whole). Control-specific findings use the control's slug as their rule id.

/// Documentation of a chain-wide rule, in the same sections as a control's.
#[derive(Debug, Clone, Copy)]
pub struct ChainRule {
    pub id: &'static str,
    pub title: &'static str,
    pub level: &'static str,
    pub summary: &'static str,
    pub rationale: &'static str,
    pub fix: &'static str,
}

pub const CHAIN_RULES: &[ChainRule] = &[
    ChainRule {
        id: "terraform-syntax",
        title: "Terraform file cannot be loaded",
        level: "error",
        summary: "A `.tf`, `.tf.json` or `.tfvars` file does not parse, or an expression in it is invalid; the other files are still analysed.",
        rationale: "Monitoring defined in a file trailwatch cannot read is not checked, and Terraform would reject the configuration too.",
        fix: "Fix the syntax error at the reported line and column (`terraform validate` shows the same).",
    },
    ChainRule {
        id: "terraform-schema",
        title: "Resource does not match the AWS provider's schema",
        level: "error",
        summary: "A resource trailwatch reads has an argument or block its type does not have (with \"did you mean\"), lacks a required one, sets a value outside the provider's enum or range, a value of the wrong shape (an object or a single string where a string or a list goes), or an ARN where AWS takes a name (or the reverse). Checked against the provider's schema, kept as data with the provider source it was read from; values unknown before apply are never reported. Defects: `unknown-argument`, `unknown-block`, `missing-argument`, `invalid-value`, `wrong-type`, `arn-or-name`, `argument-as-block`, `block-as-argument`, `computed-argument`, `conflicting-arguments`, `too-many-items`.",
        rationale: "`filter_pattern = …` instead of `pattern`, `statistic = \"Summ\"` or `evaluation_periods = 0` make `terraform plan` fail, and `log_group_name = aws_cloudwatch_log_group.x.arn` fails at apply: until then the control it was written for is not monitored, whatever the rest of the chain says.",
        fix: "Use the argument, block and value the message names (`terraform validate` reports the same schema errors; the ARN-or-name mistakes only show at apply).",
    },
    ChainRule {
        id: "terraform-expression",
        title: "Expression Terraform cannot evaluate",
        level: "warning",
        summary: "An expression refers to something that is not declared (a resource, variable, local or module), reads an attribute of a list or of null, indexes outside a list, or calls a function with arguments it refuses. Its value is treated as unknown.",
        rationale: "Terraform refuses such an expression at plan, so what depends on it is never created; trailwatch cannot check what it would have been.",
        fix: "Fix the reference or expression at the reported position (`[*]` reads an attribute of every element of a list).",
    },
    ChainRule {
        id: "terraform-duplicate",
        title: "Block declared twice",
        level: "error",
        summary: "Two resources, data sources, module calls, variables, outputs or locals of one module have the same name (in one file or in two). Override files (`override.tf`, `*_override.tf`) are merged, not duplicates.",
        rationale: "Terraform refuses a module that declares a name twice; trailwatch would otherwise check one of the two and miss what the other sets.",
        fix: "Rename or remove the second definition (the finding points at it; the first is the related location), or move an intended change into an override file.",
    },
    ChainRule {
        id: "trail-not-multi-region",
        title: "CloudTrail trail logs one region only",
        level: "error",
        summary: "The trail that feeds the monitored log group has `is_multi_region_trail` unset or false.",
        rationale: "Every CIS monitoring control assumes a multi-region trail: API calls made in any other region never reach the log group, so an attacker who works in another region triggers no alarm.",
        fix: "Set `is_multi_region_trail = true` on the trail.",
    },
    ChainRule {
        id: "trail-logging-disabled",
        title: "CloudTrail trail has logging turned off",
        level: "error",
        summary: "The trail that feeds the monitored log group has `enable_logging = false`.",
        rationale: "A stopped trail delivers no events, so no metric filter sees anything and no alarm fires.",
        fix: "Remove `enable_logging = false` (the default is true).",
    },
    ChainRule {
        id: "trail-management-events-excluded",
        title: "CloudTrail trail does not record all management events",
        level: "error",
        summary: "The trail's event selectors exclude management events, or record only read-only or write-only ones.",
        rationale: "The monitored events (policy changes, sign-ins, network changes) are management events; a trail that excludes them, or records `ReadOnly` only, never delivers them.",
        fix: "Use `include_management_events = true` and `read_write_type = \"All\"` in every `event_selector` (or an advanced selector on `eventCategory = Management` without a `readOnly` filter).",
    },
    ChainRule {
        id: "trail-no-cloudwatch-logs",
        title: "CloudTrail trail does not deliver to CloudWatch Logs",
        level: "error",
        summary: "No trail in the configuration sets `cloud_watch_logs_group_arn` (and `cloud_watch_logs_role_arn`).",
        rationale: "Metric filters only see events in a CloudWatch Logs log group; a trail that delivers to S3 only feeds no filter, so no control can alarm.",
        fix: "Set `cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"` and `cloud_watch_logs_role_arn` on the trail.",
    },
    ChainRule {
        id: "topic-no-subscription",
        title: "Alarm topic has no subscription",
        level: "error",
        summary: "An SNS topic that monitoring alarms notify has no `aws_sns_topic_subscription` in the configuration.",
        rationale: "An alarm that publishes to a topic nobody subscribes to reaches no human: the event is detected and then lost.",
        fix: "Add an `aws_sns_topic_subscription` (email, HTTPS endpoint, chat integration, …) for the topic, or declare the topic's external subscribers in `.trailwatch.toml`.",
    },
    ChainRule {
        id: "topic-aws-managed-key",
        title: "Alarm topic is encrypted with the AWS-managed key",
        level: "error",
        summary: "An SNS topic that monitoring alarms notify sets `kms_master_key_id = \"alias/aws/sns\"`.",
        rationale: "CloudWatch cannot use the AWS-managed SNS key, whose policy cannot be changed: every alarm notification to this topic fails silently.",
        fix: "Use a customer-managed KMS key whose key policy allows `cloudwatch.amazonaws.com` to call `kms:Decrypt` and `kms:GenerateDataKey*`.",
    },
    ChainRule {
        id: "no-cloudtrail-log-group",
        title: "No CloudTrail log group can be identified",
        level: "note",
        summary: "The configuration has metric filters or alarms but no trail that delivers to a CloudWatch Logs log group.",
        rationale: "Without knowing which log group receives CloudTrail events, trailwatch cannot tell which filters monitor CloudTrail. This is common when the trail lives in another repository or account.",
        fix: "Declare the log group in `.trailwatch.toml`: `cloudtrail_log_groups = [\"aws-cloudtrail-logs-123456789012\"]`, or scan the trail's configuration together with the monitoring.",
    },
    ChainRule {
        id: "filter-log-group-not-from-trail",
        title: "Metric filter reads a log group no trail sends to",
        level: "warning",
        summary: "A metric filter with a CloudTrail-shaped pattern is attached to a log group that no CloudTrail trail delivers to.",
        rationale: "The filter only sees the events of its own log group; if CloudTrail does not deliver there, the filter counts nothing and its alarm never fires.",
        fix: "Point `log_group_name` at the trail's log group (`aws_cloudwatch_log_group.trail.name`).",
    },
    ChainRule {
        id: "filter-metric-without-alarm",
        title: "Metric filter's metric has no alarm",
        level: "warning",
        summary: "A metric filter publishes a metric that no alarm watches.",
        rationale: "Counting events without alarming on them notifies nobody.",
        fix: "Add an `aws_cloudwatch_metric_alarm` on the metric (same `metric_name` and `namespace`).",
    },
    ChainRule {
        id: "alarm-metric-not-published",
        title: "Alarm watches a metric no filter publishes",
        level: "error",
        summary: "An alarm's `metric_name`/`namespace` match no metric filter's `metric_transformation`.",
        rationale: "The alarm waits for data that never arrives; with the default `treat_missing_data` it stays in INSUFFICIENT_DATA forever.",
        fix: "Use the filter's `metric_transformation` name and namespace in the alarm (reference them instead of repeating literals).",
    },
    ChainRule {
        id: "alarm-cannot-fire",
        title: "Alarm cannot fire on a single event",
        level: "error",
        summary: "The alarm's statistic, threshold, comparison or evaluation settings keep it from firing when one matching event arrives.",
        rationale: "Monitoring controls must alarm on the first occurrence: a threshold above 1, `evaluation_periods`/`datapoints_to_alarm` above 1, a statistic such as `Average` with a default value of 0, or a period longer than a day hides single events.",
        fix: "Use `statistic = \"Sum\"`, `threshold = 1`, `comparison_operator = \"GreaterThanOrEqualToThreshold\"`, `evaluation_periods = 1`, `period = 300`.",
    },
    ChainRule {
        id: "alarm-no-actions",
        title: "Alarm notifies nobody",
        level: "error",
        summary: "The alarm has no `alarm_actions`, has `actions_enabled = false`, or its actions are not SNS topics.",
        rationale: "An alarm without an SNS action changes state in the console and tells no one.",
        fix: "Set `alarm_actions = [aws_sns_topic.security_alerts.arn]`.",
    },
    ChainRule {
        id: "metric-value-not-positive",
        title: "Metric filter publishes a non-positive value",
        level: "error",
        summary: "The filter's `metric_transformation.value` is 0 or negative, so matching events never raise the metric.",
        rationale: "With `value = \"0\"` a `Sum >= 1` alarm never sees its threshold reached.",
        fix: "Use `value = \"1\"`.",
    },
    ChainRule {
        id: "unverifiable",
        title: "A link of the chain cannot be verified statically",
        level: "note",
        summary: "A value trailwatch needs is unknown before apply (a variable without a value, a data source, a module that is not downloaded) or lives outside the configuration.",
        rationale: "trailwatch never guesses: it says what it could not check so you can supply the value (`--var`, `--var-file`, `--plan`) or declare it in `.trailwatch.toml`.",
        fix: "Give the missing value, or scan a plan JSON (`terraform show -json plan > plan.json; trailwatch check --plan plan.json`).",
    },
];

pub fn chain_rule(id: &str) -> Option<&'static ChainRule> {
    CHAIN_RULES.iter().find(|r| r.id == id)
}
