//! The trail link: multi-region, logging on, all management events, delivery to
//! CloudWatch Logs. These break every control at once, so they carry their own rule ids.

use super::context::{Context, finding};
use crate::model::{Graph, Target};
use crate::rules::Defect;
use crate::rules::Related;

pub fn check(graph: &Graph, ctx: &mut Context) {
    let any_delivery = graph.trails.iter().any(|t| t.log_group != Target::Missing);
    for trail in &graph.trails {
        let instance = trail.instance;
        if trail.multi_region == Some(false) {
            let mut f = finding(
                Defect::TrailNotMultiRegion,
                format!(
                    "trail `{}` records API calls in its own region only: activity in every other region reaches no metric filter",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.attribute(instance, "is_multi_region_trail");
            f.help = Some("set `is_multi_region_trail = true`".to_string());
            ctx.push(f);
        }
        if trail.logging == Some(false) {
            let mut f = finding(
                Defect::TrailLoggingDisabled,
                format!(
                    "trail `{}` has logging turned off: it delivers no events, so no alarm can fire",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.attribute(instance, "enable_logging");
            f.help = Some("remove `enable_logging = false`".to_string());
            ctx.push(f);
        }
        if let Some(gap) = &trail.management_gap {
            let path = if instance.attribute_spans.contains_key("event_selector[0]") {
                "event_selector[0]"
            } else {
                "advanced_event_selector[0]"
            };
            let mut f = finding(
                Defect::TrailManagementEventsExcluded,
                format!(
                    "trail `{}` does not record all management events ({gap}): the monitored API calls never reach CloudWatch Logs",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.attribute(instance, path);
            f.help = Some("record management events with `read_write_type = \"All\"`".to_string());
            ctx.push(f);
        }
        if trail.global_events == Some(false) {
            let (message, help) = if trail.multi_region == Some(false) {
                (
                    format!(
                        "trail `{}` excludes global service events: IAM, STS and console sign-in events (root use, policy changes, sign-ins, MFA changes) never reach CloudWatch Logs",
                        instance.address
                    ),
                    "remove `include_global_service_events = false` (and make the trail multi-region)",
                )
            } else {
                (
                    format!(
                        "trail `{}` is multi-region but excludes global service events: CloudTrail refuses this combination, so `terraform apply` fails (InvalidParameterCombinationException)",
                        instance.address
                    ),
                    "remove `include_global_service_events = false`: a multi-region trail must include global service events",
                )
            };
            let mut f = finding(Defect::TrailGlobalEventsExcluded, message, Some(instance));
            f.location = ctx.attribute(instance, "include_global_service_events");
            f.help = Some(help.to_string());
            ctx.push(f);
        }
        if let Some(arn) = &trail.arn_refused {
            let mut f = finding(
                Defect::TrailLogGroupArnRefused,
                format!(
                    "trail `{}` names its log group as `{arn}`, without the `:*` log-stream wildcard: CloudTrail refuses the ARN (InvalidCloudWatchLogsLogGroupArnException), so `terraform apply` fails and nothing is delivered",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.attribute(instance, "cloud_watch_logs_group_arn");
            f.help = Some("append the log-stream wildcard: `cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"`".to_string());
            ctx.push(f);
        }
        if !any_delivery {
            let mut f = finding(
                Defect::TrailNoCloudwatchLogs,
                format!(
                    "trail `{}` does not deliver to CloudWatch Logs, so no metric filter sees its events",
                    instance.address
                ),
                Some(instance),
            );
            f.location = ctx.block_head(instance);
            f.help = Some("set `cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"` and `cloud_watch_logs_role_arn`".to_string());
            for lg in &graph.log_groups {
                if let Some(location) = ctx.block_head(lg.instance) {
                    f.related.push(Related {
                        location,
                        message: format!(
                            "log group `{}` could receive the trail's events",
                            lg.instance.address
                        ),
                    });
                }
            }
            ctx.push(f);
        }
    }
}
