# One topic nobody subscribes to behind every alarm: one finding at the topic, whose related
# locations are the alarms (three `for_each` instances and one plain alarm), not one error per
# alarm and control.

resource "aws_cloudwatch_log_group" "trail" {
  name = "aws-cloudtrail-logs-123456789012"
}

resource "aws_cloudtrail" "main" {
  name                          = "management-events"
  s3_bucket_name                = "example-cloudtrail-123456789012"
  is_multi_region_trail         = true
  include_global_service_events = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::123456789012:role/cloudtrail-to-cloudwatch-logs"
}

resource "aws_sns_topic" "alerts" {
  name = "security-alerts"
}

locals {
  controls = {
    root-account-usage        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    cloudtrail-config-changes = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    cmk-disable-or-deletion   = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"
  }
}

resource "aws_cloudwatch_log_metric_filter" "cis" {
  for_each       = local.controls
  name           = each.key
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = each.value

  metric_transformation {
    name      = each.key
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cis" {
  for_each            = local.controls
  alarm_name          = each.key
  namespace           = "CISBenchmark"
  metric_name         = aws_cloudwatch_log_metric_filter.cis[each.key].id
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_log_metric_filter" "config_changes" {
  name           = "config-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }"

  metric_transformation {
    name      = "config-changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "config_changes" {
  alarm_name          = "config-changes"
  namespace           = "CISBenchmark"
  metric_name         = "config-changes"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.alerts.arn]
}
