//! Every kind of defect trailwatch reports — its id, the rule it is reported under, its level
//! and its documentation — in one registry: checks build findings from it, and `explain`,
//! `rules`, the README tables, SARIF and `--rule` read it, so none of them can drift.

use super::Level;

/// One kind of defect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Defect {
    ControlMissing,
    ControlNotDelivered,
    PatternMissesEvents,
    PatternMissesNewerEvents,
    FilterMissesOwnEvents,
    PatternSyntax,
    PatternNoisy,
    FilterLogGroupNotFromTrail,
    MetricValueNotPositive,
    FilterMetricWithoutAlarm,
    AlarmCannotFire,
    AlarmPeriodOverADay,
    AlarmNoActions,
    Unverifiable,
    TrailNotMultiRegion,
    TrailLoggingDisabled,
    TrailManagementEventsExcluded,
    TrailGlobalEventsExcluded,
    TrailLogGroupArnRefused,
    TrailNoCloudwatchLogs,
    NoCloudtrailLogGroup,
    ModuleNotDownloaded,
    TopicNoSubscription,
    TopicAwsManagedKey,
    AlarmMetricNotPublished,
    TerraformSyntax,
    TerraformExpression,
    TerraformDuplicate,
    TerraformUndeclaredVariable,
    FileSkipped,
    InvalidSuppression,
    TerraformSchema,
    UnknownArgument,
    UnknownBlock,
    MissingArgument,
    InvalidValue,
    WrongType,
    ArnOrName,
    ArgumentAsBlock,
    BlockAsArgument,
    ComputedArgument,
    ConflictingArguments,
    TooManyItems,
    SchemaData,
}

/// The rule id a defect is reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleOf {
    /// The control whose chain is broken; its own id (chain-wide) when it concerns none or
    /// several controls.
    Control,
    /// Its own id: a chain-wide or configuration rule.
    Own,
    /// `terraform-schema`.
    Schema,
}

/// Which controls a finding of the defect concerns: what `--rule <control>` keeps, and
/// what explains a failing control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The control it is reported under, or the controls it lists (`controls`).
    Listed,
    /// Every control, when chain-wide: the trail feeds them all, and a note on what is
    /// unknown leaves them all open.
    EveryControl,
    /// The configuration as a whole: kept whatever `--rule` selects.
    Configuration,
}

/// The level a defect is reported with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leveled {
    Is(Level),
    /// The level of the control (`severity` in `rules/<control>.toml`).
    OfControl,
}

/// What `explain` shows about a defect, in ruff's sections.
#[derive(Debug)]
pub struct Doc {
    pub defect: Defect,
    pub id: &'static str,
    pub title: &'static str,
    /// GitHub code scanning's `security-severity` (0.1–10): how much a security team should
    /// care, not how sure trailwatch is. A file that does not load is not a high alert.
    pub security_severity: &'static str,
    /// SARIF `precision`: how often a finding of this kind is right. A note on what is
    /// unknown is low: it says what could not be checked.
    pub precision: &'static str,
    pub level: Leveled,
    pub rule: RuleOf,
    pub reach: Reach,
    pub summary: &'static str,
    pub rationale: &'static str,
    pub fix: &'static str,
}

/// The rule every schema defect is reported under.
pub const SCHEMA_RULE: &str = "terraform-schema";

pub const DEFECTS: &[Doc] = &[
    Doc {
        defect: Defect::ControlMissing,
        id: "control-missing",
        security_severity: "8.0",
        precision: "high",
        title: "No metric filter covers the control",
        level: Leveled::OfControl,
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "No metric filter on the CloudTrail log group (or in the configuration) is written for the control, or `--require` is given for a configuration without any monitoring. Reported at the trail's log group, with the level of the control.",
        rationale: "Nothing alarms on the control's events: the activity the benchmark asks you to hear about goes unnoticed.",
        fix: "Add the metric filter, the alarm on its metric and a subscribed SNS topic that `trailwatch explain <control>` shows.",
    },
    Doc {
        defect: Defect::ControlNotDelivered,
        id: "control-not-delivered",
        security_severity: "8.0",
        precision: "very-high",
        title: "Filters for the control deliver nothing",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "Metric filters are written for the control (they match its events, carry what sets it apart, or their names say so), but no working chain carries their events and none of them has a defect of its own that says why. The filters are its related locations.",
        rationale: "The control looks implemented, yet no alarm ever fires for it.",
        fix: "Complete each related filter's chain: a `metric_transformation`, an alarm on that metric with an SNS action, and a subscribed topic.",
    },
    Doc {
        defect: Defect::PatternMissesEvents,
        id: "pattern-misses-events",
        security_severity: "8.0",
        precision: "very-high",
        title: "Pattern misses required events",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "The filters written for the control, together, do not match every event the control requires. The finding names the events; a typo gets \"did you mean\"; a quoted or brace-less pattern, or an `&&` clause that alone narrows the pattern, is named and pointed at.",
        rationale: "CloudWatch evaluates the pattern on each CloudTrail record: an event it does not match never raises the metric, so the alarm stays silent for exactly that activity.",
        fix: "Use the recommended pattern (`trailwatch explain <control>`), or add the missing events.",
    },
    Doc {
        defect: Defect::PatternMissesNewerEvents,
        id: "pattern-misses-newer-events",
        security_severity: "5.0",
        precision: "high",
        title: "Pattern meets an older CIS list only",
        level: Leveled::Is(Level::Warning),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "Without `--profile`, the pattern matches an older CIS version's list of required events but misses events a newer version added; each is named with the version that added it.",
        rationale: "The newest benchmark expects those events too: the configuration passes its own version (`--profile cis-<version>`), not the newest.",
        fix: "Add the named events (the fix gives the newest recommended pattern), or check against your benchmark version with `--profile`.",
    },
    Doc {
        defect: Defect::FilterMissesOwnEvents,
        id: "filter-misses-own-events",
        security_severity: "5.0",
        precision: "medium",
        title: "Filter written for the control misses its events",
        level: Leveled::Is(Level::Warning),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "A filter written for the control (it tests what sets the control apart, such as `errorMessage`, `MFAUsed` or `userIdentity.type`, or its filter, metric or alarm name says so) matches none or only some of the control's events, while a filter written for another control covers them; the finding names that alarm.",
        rationale: "The control passes by accident: change the other filter and nothing alarms. The filter itself is dead or partial (values are case-sensitive: `Failed Authentication` never matches).",
        fix: "Correct the filter's pattern (the fix gives the recommended one).",
    },
    Doc {
        defect: Defect::PatternSyntax,
        id: "pattern-syntax",
        security_severity: "8.0",
        precision: "very-high",
        title: "CloudWatch refuses the pattern",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "The filter's pattern is one CloudWatch refuses: a syntax error, or a documented limit (over 1,024 characters, more than 2 regular expressions, more than 3 wildcard selectors, a character that must be quoted). The finding points inside the pattern.",
        rationale: "PutMetricFilter refuses the pattern, so `terraform apply` fails and the filter is never created.",
        fix: "Fix the pattern at the reported position (`trailwatch pattern check` explains it).",
    },
    Doc {
        defect: Defect::PatternNoisy,
        id: "pattern-noisy",
        security_severity: "2.0",
        precision: "medium",
        title: "Pattern also matches benign events",
        level: Leveled::Is(Level::Note),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "A working filter also matches events the control should not fire on (named).",
        rationale: "An alarm that fires on routine activity teaches people to ignore it.",
        fix: "Use the recommended pattern (`trailwatch explain <control>`), which excludes them.",
    },
    Doc {
        defect: Defect::FilterLogGroupNotFromTrail,
        id: "filter-log-group-not-from-trail",
        security_severity: "8.0",
        precision: "very-high",
        title: "Metric filter reads a log group no trail sends to",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "A metric filter with a CloudTrail-shaped pattern is attached to a log group that no CloudTrail trail delivers to.",
        rationale: "The filter only sees the events of its own log group; if CloudTrail does not deliver there, the filter counts nothing and its alarm never fires.",
        fix: "Point `log_group_name` at the trail's log group (`aws_cloudwatch_log_group.trail.name`).",
    },
    Doc {
        defect: Defect::MetricValueNotPositive,
        id: "metric-value-not-positive",
        security_severity: "8.0",
        precision: "very-high",
        title: "Metric filter publishes a non-positive value",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "The filter's `metric_transformation.value` is 0 or negative, so matching events never raise the metric.",
        rationale: "With `value = \"0\"` a `Sum >= 1` alarm never sees its threshold reached.",
        fix: "Use `value = \"1\"`.",
    },
    Doc {
        defect: Defect::FilterMetricWithoutAlarm,
        id: "filter-metric-without-alarm",
        security_severity: "8.0",
        precision: "very-high",
        title: "Metric filter's metric has no alarm",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "A metric filter publishes a metric that no alarm watches.",
        rationale: "Counting events without alarming on them notifies nobody.",
        fix: "Add an `aws_cloudwatch_metric_alarm` on the metric (same `metric_name` and `namespace`).",
    },
    Doc {
        defect: Defect::AlarmCannotFire,
        id: "alarm-cannot-fire",
        security_severity: "8.0",
        precision: "very-high",
        title: "Alarm cannot fire on a single event",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "The alarm's statistic, threshold, comparison or evaluation settings keep it from firing when one matching event arrives.",
        rationale: "Monitoring controls must alarm on the first occurrence: a threshold above 1, `evaluation_periods`/`datapoints_to_alarm` above 1, a statistic such as `Average` with a default value of 0, or a period longer than a day hides single events.",
        fix: "Use `statistic = \"Sum\"`, `threshold = 1`, `comparison_operator = \"GreaterThanOrEqualToThreshold\"`, `evaluation_periods = 1`, `period = 300`.",
    },
    Doc {
        defect: Defect::AlarmPeriodOverADay,
        id: "alarm-period-over-a-day",
        security_severity: "5.0",
        precision: "high",
        title: "Alarm evaluates periods longer than a day",
        level: Leveled::Is(Level::Warning),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "The alarm on the control's metric evaluates periods longer than a day (`period` over 86,400 seconds).",
        rationale: "The alarm fires only when the period ends: an event is reported more than a day late.",
        fix: "Use `period = 300`.",
    },
    Doc {
        defect: Defect::AlarmNoActions,
        id: "alarm-no-actions",
        security_severity: "8.0",
        precision: "very-high",
        title: "Alarm notifies nobody",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Control,
        reach: Reach::Listed,
        summary: "The alarm has no `alarm_actions`, has `actions_enabled = false`, or its actions are not SNS topics.",
        rationale: "An alarm without an SNS action changes state in the console and tells no one.",
        fix: "Set `alarm_actions = [aws_sns_topic.security_alerts.arn]`.",
    },
    Doc {
        defect: Defect::Unverifiable,
        id: "unverifiable",
        security_severity: "1.0",
        precision: "low",
        title: "A link of the chain cannot be verified statically",
        level: Leveled::Is(Level::Note),
        rule: RuleOf::Control,
        reach: Reach::EveryControl,
        summary: "A value trailwatch needs is unknown before apply (a variable without a value, a data source, a module that is not downloaded) or lives outside the configuration.",
        rationale: "trailwatch never guesses: it says what it could not check so you can supply the value (`--var`, `--var-file`, `--plan`) or declare it in `.trailwatch.toml`.",
        fix: "Give the missing value, or scan a plan JSON (`terraform show -json plan > plan.json; trailwatch check --plan plan.json`).",
    },
    Doc {
        defect: Defect::TrailNotMultiRegion,
        id: "trail-not-multi-region",
        security_severity: "8.0",
        precision: "very-high",
        title: "CloudTrail trail logs one region only",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::EveryControl,
        summary: "The trail that feeds the monitored log group has `is_multi_region_trail` unset or false.",
        rationale: "Every CIS monitoring control assumes a multi-region trail: API calls made in any other region never reach the log group, so an attacker who works in another region triggers no alarm.",
        fix: "Set `is_multi_region_trail = true` on the trail.",
    },
    Doc {
        defect: Defect::TrailLoggingDisabled,
        id: "trail-logging-disabled",
        security_severity: "8.0",
        precision: "very-high",
        title: "CloudTrail trail has logging turned off",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::EveryControl,
        summary: "The trail that feeds the monitored log group has `enable_logging = false`.",
        rationale: "A stopped trail delivers no events, so no metric filter sees anything and no alarm fires.",
        fix: "Remove `enable_logging = false` (the default is true).",
    },
    Doc {
        defect: Defect::TrailManagementEventsExcluded,
        id: "trail-management-events-excluded",
        security_severity: "8.0",
        precision: "very-high",
        title: "CloudTrail trail does not record all management events",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::EveryControl,
        summary: "The trail's event selectors exclude management events, or record only read-only or write-only ones.",
        rationale: "The monitored events (policy changes, sign-ins, network changes) are management events; a trail that excludes them, or records `ReadOnly` only, never delivers them.",
        fix: "Use `include_management_events = true` and `read_write_type = \"All\"` in every `event_selector` (or an advanced selector on `eventCategory = Management` without a `readOnly` filter).",
    },
    Doc {
        defect: Defect::TrailGlobalEventsExcluded,
        id: "trail-global-events-excluded",
        security_severity: "8.0",
        precision: "very-high",
        title: "CloudTrail trail excludes global service events",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::EveryControl,
        summary: "The trail that feeds the monitored log group sets `include_global_service_events = false`.",
        rationale: "IAM, STS and console sign-in are global services: without their events no root-use, IAM-policy, sign-in or MFA alarm can fire. On a multi-region trail CloudTrail refuses the setting outright (InvalidParameterCombinationException), so `terraform apply` fails.",
        fix: "Remove `include_global_service_events = false` (the default is true).",
    },
    Doc {
        defect: Defect::TrailLogGroupArnRefused,
        id: "trail-log-group-arn-refused",
        security_severity: "8.0",
        precision: "very-high",
        title: "CloudTrail trail names its log group without the `:*` wildcard",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::EveryControl,
        summary: "`cloud_watch_logs_group_arn` is a log group ARN without the log-stream wildcard `:*`, e.g. `aws_cloudwatch_log_group.x.arn` (the provider dropped `:*` from that attribute in v3.0.0).",
        rationale: "CloudTrail only accepts the log group ARN with its log-stream wildcard; without it the API refuses the trail (InvalidCloudWatchLogsLogGroupArnException) and `terraform apply` fails, so no event is ever delivered.",
        fix: "Write `cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"`.",
    },
    Doc {
        defect: Defect::TrailNoCloudwatchLogs,
        id: "trail-no-cloudwatch-logs",
        security_severity: "8.0",
        precision: "very-high",
        title: "CloudTrail trail does not deliver to CloudWatch Logs",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::EveryControl,
        summary: "No trail in the configuration sets `cloud_watch_logs_group_arn` (and `cloud_watch_logs_role_arn`).",
        rationale: "Metric filters only see events in a CloudWatch Logs log group; a trail that delivers to S3 only feeds no filter, so no control can alarm.",
        fix: "Set `cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"` and `cloud_watch_logs_role_arn` on the trail.",
    },
    Doc {
        defect: Defect::NoCloudtrailLogGroup,
        id: "no-cloudtrail-log-group",
        security_severity: "1.0",
        precision: "medium",
        title: "No CloudTrail log group can be identified",
        level: Leveled::Is(Level::Note),
        rule: RuleOf::Own,
        reach: Reach::EveryControl,
        summary: "The configuration has metric filters or alarms but no trail that delivers to a CloudWatch Logs log group.",
        rationale: "Without knowing which log group receives CloudTrail events, trailwatch cannot tell which filters monitor CloudTrail. This is common when the trail lives in another repository or account.",
        fix: "Declare the log group in `.trailwatch.toml`: `cloudtrail_log_groups = [\"aws-cloudtrail-logs-123456789012\"]`, or scan the trail's configuration together with the monitoring.",
    },
    Doc {
        defect: Defect::ModuleNotDownloaded,
        id: "module-not-downloaded",
        security_severity: "1.0",
        precision: "low",
        title: "A registry or git module is not downloaded",
        level: Leveled::Is(Level::Note),
        rule: RuleOf::Own,
        reach: Reach::EveryControl,
        summary: "A module call's source is a registry or git address and `.terraform/modules/modules.json` does not list it, so trailwatch cannot read what the module creates.",
        rationale: "Baselines often create their filters, alarms and subscriptions in a registry module. Until it is downloaded, its values are unknown: controls it may implement are unverifiable, and a topic, log group or metric handed to it is not reported as missing a subscription, filter or alarm.",
        fix: "Run `terraform init` in the root module, or scan a plan JSON (`trailwatch check --plan plan.json`).",
    },
    Doc {
        defect: Defect::TopicNoSubscription,
        id: "topic-no-subscription",
        security_severity: "8.0",
        precision: "very-high",
        title: "Alarm topic has no subscription",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::Listed,
        summary: "An SNS topic that monitoring alarms notify has no `aws_sns_topic_subscription` in the configuration.",
        rationale: "An alarm that publishes to a topic nobody subscribes to reaches no human: the event is detected and then lost.",
        fix: "Add an `aws_sns_topic_subscription` (email, HTTPS endpoint, chat integration, …) for the topic, or declare the topic's external subscribers in `.trailwatch.toml`.",
    },
    Doc {
        defect: Defect::TopicAwsManagedKey,
        id: "topic-aws-managed-key",
        security_severity: "8.0",
        precision: "very-high",
        title: "Alarm topic is encrypted with the AWS-managed key",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::Listed,
        summary: "An SNS topic that monitoring alarms notify sets `kms_master_key_id = \"alias/aws/sns\"`.",
        rationale: "CloudWatch cannot use the AWS-managed SNS key, whose policy cannot be changed: every alarm notification to this topic fails silently.",
        fix: "Use a customer-managed KMS key whose key policy allows `cloudwatch.amazonaws.com` to call `kms:Decrypt` and `kms:GenerateDataKey*`.",
    },
    Doc {
        defect: Defect::AlarmMetricNotPublished,
        id: "alarm-metric-not-published",
        security_severity: "8.0",
        precision: "high",
        title: "Alarm watches a metric no filter publishes",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::Listed,
        summary: "An alarm's `metric_name`/`namespace` match no metric filter's `metric_transformation`.",
        rationale: "The alarm waits for data that never arrives; with the default `treat_missing_data` it stays in INSUFFICIENT_DATA forever.",
        fix: "Use the filter's `metric_transformation` name and namespace in the alarm (reference them instead of repeating literals).",
    },
    Doc {
        defect: Defect::TerraformSyntax,
        id: "terraform-syntax",
        security_severity: "4.0",
        precision: "very-high",
        title: "Terraform file cannot be loaded",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::Configuration,
        summary: "A `.tf`, `.tf.json` or `.tfvars` file does not parse, or an expression in it is invalid; the other files are still analysed.",
        rationale: "Monitoring defined in a file trailwatch cannot read is not checked, and Terraform would reject the configuration too.",
        fix: "Fix the syntax error at the reported line and column (`terraform validate` shows the same).",
    },
    Doc {
        defect: Defect::TerraformExpression,
        id: "terraform-expression",
        security_severity: "2.0",
        precision: "very-high",
        title: "Expression Terraform cannot evaluate",
        level: Leveled::Is(Level::Warning),
        rule: RuleOf::Own,
        reach: Reach::Configuration,
        summary: "An expression refers to something that is not declared (a resource, variable, local or module), reads an attribute of a list or of null, indexes outside a list, or calls a function with arguments it refuses. Its value is treated as unknown.",
        rationale: "Terraform refuses such an expression at plan, so what depends on it is never created; trailwatch cannot check what it would have been.",
        fix: "Fix the reference or expression at the reported position (`[*]` reads an attribute of every element of a list).",
    },
    Doc {
        defect: Defect::TerraformDuplicate,
        id: "terraform-duplicate",
        security_severity: "4.0",
        precision: "very-high",
        title: "Block declared twice",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::Configuration,
        summary: "Two resources, data sources, module calls, variables, outputs or locals of one module have the same name (in one file or in two). Override files (`override.tf`, `*_override.tf`) are merged, not duplicates.",
        rationale: "Terraform refuses a module that declares a name twice; trailwatch would otherwise check one of the two and miss what the other sets.",
        fix: "Rename or remove the second definition (the finding points at it; the first is the related location), or move an intended change into an override file.",
    },
    Doc {
        defect: Defect::TerraformUndeclaredVariable,
        id: "terraform-undeclared-variable",
        security_severity: "2.0",
        precision: "very-high",
        title: "Value for an undeclared variable",
        level: Leveled::Is(Level::Warning),
        rule: RuleOf::Own,
        reach: Reach::Configuration,
        summary: "A `.tfvars` file, `--var` or `--var-file` gives a value for a variable the root module does not declare; the finding points at the value.",
        rationale: "The value is used nowhere: a misspelt variable name leaves the variable it was meant for at its default, which may be what breaks the chain.",
        fix: "Declare the variable in the root module, or correct or remove the name.",
    },
    Doc {
        defect: Defect::FileSkipped,
        id: "file-skipped",
        security_severity: "2.0",
        precision: "very-high",
        title: "Terraform file not analysed",
        level: Leveled::Is(Level::Warning),
        rule: RuleOf::Own,
        reach: Reach::Configuration,
        summary: "A file named like Terraform's (`.tf`, `.tf.json`, `.tfvars`) or a module directory that trailwatch met but did not read, with the reason: not a regular file (a FIFO, a device), a file that cannot be read (permissions, over 16 MiB), a name that is not UTF-8, a hidden file, a hidden directory holding Terraform files (one finding for the directory), a directory that cannot be listed, a path longer than the system allows, a symbolic link or module directory leading outside the repository, a `.tfvars` file Terraform does not load by itself.",
        rationale: "Monitoring defined in a file that is not read is not checked: a pull request could hide a broken alarm in such a file, so the file is named instead of being passed over.",
        fix: "Make the file a regular, readable file with a UTF-8 name inside the repository, move the module into it, add a hidden directory to the paths checked (`trailwatch check . .github/infra`), pass a variable file with `--var-file` (or `var_files`), or exclude the path (`exclude` in `.trailwatch.toml`) when it is meant to be left out.",
    },
    Doc {
        defect: Defect::InvalidSuppression,
        id: "invalid-suppression",
        security_severity: "2.0",
        precision: "very-high",
        title: "Suppression comment that does not work",
        level: Leveled::Is(Level::Warning),
        rule: RuleOf::Own,
        reach: Reach::Configuration,
        summary: "A `trailwatch:ignore[...]` comment names no rule or an unknown one, gives no reason, or suppresses nothing on the lines it covers.",
        rationale: "A suppression with a typo silently fails to suppress what it was meant to, and one without a reason leaves reviewers guessing why a finding is accepted.",
        fix: "Write `# trailwatch:ignore[<rule-id>] reason: <why>` on the line of the finding or the line above, with a rule id from `trailwatch rules`.",
    },
    Doc {
        defect: Defect::TerraformSchema,
        id: "terraform-schema",
        security_severity: "4.0",
        precision: "very-high",
        title: "Resource does not match the AWS provider's schema",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Own,
        reach: Reach::Configuration,
        summary: "A resource trailwatch reads has an argument or block its type does not have (with \"did you mean\"), lacks a required one, sets a value outside the provider's enum or range, a value of the wrong shape (an object or a single string where a string or a list goes), or an ARN where AWS takes a name (or the reverse). Checked against the provider's schema, kept as data with the provider source it was read from; values unknown before apply are never reported. Defects: `unknown-argument`, `unknown-block`, `missing-argument`, `invalid-value`, `wrong-type`, `arn-or-name`, `argument-as-block`, `block-as-argument`, `computed-argument`, `conflicting-arguments`, `too-many-items`.",
        rationale: "`filter_pattern = …` instead of `pattern`, `statistic = \"Summ\"` or `evaluation_periods = 0` make `terraform plan` fail, and `log_group_name = aws_cloudwatch_log_group.x.arn` fails at apply: until then the control it was written for is not monitored, whatever the rest of the chain says.",
        fix: "Use the argument, block and value the message names (`terraform validate` reports the same schema errors; the ARN-or-name mistakes only show at apply).",
    },
    Doc {
        defect: Defect::UnknownArgument,
        id: "unknown-argument",
        security_severity: "4.0",
        precision: "very-high",
        title: "Argument the resource type does not have",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "The resource sets an argument its type does not have (with \"did you mean\").",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::UnknownBlock,
        id: "unknown-block",
        security_severity: "4.0",
        precision: "very-high",
        title: "Block the resource type does not have",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "The resource has a nested block its type does not have (with \"did you mean\").",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::MissingArgument,
        id: "missing-argument",
        security_severity: "4.0",
        precision: "very-high",
        title: "Required argument or block missing",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "A required argument or block of the resource type is not set.",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::InvalidValue,
        id: "invalid-value",
        security_severity: "4.0",
        precision: "very-high",
        title: "Value outside the allowed values or range",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "A value is not one the provider allows (its enum, case-sensitive where the provider is) or is out of range.",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::WrongType,
        id: "wrong-type",
        security_severity: "4.0",
        precision: "very-high",
        title: "Value of the wrong shape",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "A value has the wrong shape: an object or a single string where a string or a list goes.",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::ArnOrName,
        id: "arn-or-name",
        security_severity: "4.0",
        precision: "very-high",
        title: "ARN where a name is required, or the reverse",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "An argument that takes a name is given an ARN (`log_group_name = aws_cloudwatch_log_group.x.arn`), or the reverse.",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::ArgumentAsBlock,
        id: "argument-as-block",
        security_severity: "4.0",
        precision: "very-high",
        title: "Argument written as a block",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "An argument is written with block syntax (`x { … }`).",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::BlockAsArgument,
        id: "block-as-argument",
        security_severity: "4.0",
        precision: "very-high",
        title: "Block written as an argument",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "A nested block is written as an argument (`x = { … }`).",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::ComputedArgument,
        id: "computed-argument",
        security_severity: "4.0",
        precision: "very-high",
        title: "Read-only attribute set",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "An attribute the provider computes (read-only) is set in the configuration.",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::ConflictingArguments,
        id: "conflicting-arguments",
        security_severity: "4.0",
        precision: "very-high",
        title: "Conflicting arguments set together",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "Two arguments the provider declares as conflicting are both set.",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::TooManyItems,
        id: "too-many-items",
        security_severity: "4.0",
        precision: "very-high",
        title: "More items than allowed",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "A block or list has more items than the provider allows.",
        rationale: "Terraform refuses the root module at plan (or AWS at apply), so none of its monitoring is deployed.",
        fix: "Use the argument, block or value the message names (`terraform validate` reports the same).",
    },
    Doc {
        defect: Defect::SchemaData,
        id: "schema-data",
        security_severity: "1.0",
        precision: "very-high",
        title: "trailwatch's schema data cannot be read",
        level: Leveled::Is(Level::Error),
        rule: RuleOf::Schema,
        reach: Reach::Configuration,
        summary: "The provider schema trailwatch carries cannot be read: a defect of trailwatch itself, not of the configuration.",
        rationale: "Without the schema, resources are not checked against it.",
        fix: "Report it to the trailwatch maintainers.",
    },
];

impl Doc {
    /// A readable name for SARIF (`TopicNoSubscription`).
    pub fn name(&self) -> String {
        pascal(self.id)
    }
}

/// `topic-no-subscription` → `TopicNoSubscription`.
pub fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Where a rule's or defect's documentation page is (generated from `explain`).
pub fn help_uri(id: &str) -> String {
    format!("https://github.com/trailwatch/trailwatch/blob/main/docs/rules/{id}.md")
}

impl Defect {
    pub fn doc(self) -> &'static Doc {
        // DEFECTS lists the variants in declaration order (tested).
        &DEFECTS[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.doc().id
    }

    pub fn from_id(id: &str) -> Option<Defect> {
        DEFECTS.iter().find(|d| d.id == id).map(|d| d.defect)
    }

    /// The level it is reported with; `control` is the level of the control it breaks.
    pub fn level(self, control: Level) -> Level {
        match self.doc().level {
            Leveled::Is(level) => level,
            Leveled::OfControl => control,
        }
    }

    /// The level of a defect whose level does not depend on a control.
    pub fn fixed_level(self) -> Level {
        self.level(Level::Error)
    }

    /// The rule id of a finding of this defect about `control`, if any.
    pub fn rule_id(self, control: Option<&str>) -> String {
        match (self.doc().rule, control) {
            (RuleOf::Control, Some(control)) => control.to_string(),
            (RuleOf::Schema, _) => SCHEMA_RULE.to_string(),
            _ => self.id().to_string(),
        }
    }
}

/// The documentation of a defect or rule id.
pub fn doc(id: &str) -> Option<&'static Doc> {
    DEFECTS.iter().find(|d| d.id == id)
}

/// The chain-wide and configuration rules: the ids a finding's `rule` can take besides a
/// control's.
pub fn rules() -> impl Iterator<Item = &'static Doc> {
    DEFECTS.iter().filter(|d| d.rule != RuleOf::Schema)
}

/// Every rule id a finding can carry: the controls', and the registry's own rules. For
/// "did you mean" and for checking the rule ids of suppressions.
pub fn rule_ids(controls: &[super::Control]) -> Vec<String> {
    controls
        .iter()
        .map(|c| c.id.clone())
        .chain(rules().map(|d| d.id.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_in_variant_order_with_unique_ids() {
        for (i, d) in DEFECTS.iter().enumerate() {
            assert_eq!(d.defect as usize, i, "{}", d.id);
            assert_eq!(Defect::from_id(d.id), Some(d.defect));
        }
    }
}
