terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# Names that come from variables nobody set: unknown before apply.
variable "log_group_name" {
  type = string
}

variable "metric_prefix" {
  type = string
}

locals {
  root_metric = "${var.metric_prefix}RootUsage"
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = var.log_group_name
  retention_in_days = 365
}

resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = "org-trail-bucket"
  is_multi_region_trail         = true
  include_global_service_events = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::111122223333:role/trail-to-logs"
}

resource "aws_sns_topic" "security" {
  name = "security-events"
}

resource "aws_sns_topic_subscription" "oncall" {
  topic_arn = aws_sns_topic.security.arn
  protocol  = "email"
  endpoint  = "oncall@example.org"
}

# The filter reads the trail's log group through the same resource: on the trail, whatever
# its name. Its metric and the alarm's are the same expression (local.root_metric).
resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root-account-usage"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"

  metric_transformation {
    name      = local.root_metric
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root-account-usage"
  namespace           = "Security"
  metric_name         = local.root_metric
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}

# Both sides name the same variable.
resource "aws_cloudwatch_log_metric_filter" "cmk" {
  name           = "cmk-disable-or-deletion"
  log_group_name = aws_cloudwatch_log_group.trail.id
  pattern        = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"

  metric_transformation {
    name      = var.metric_prefix
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cmk" {
  alarm_name          = "cmk-disable-or-deletion"
  namespace           = "Security"
  metric_name         = var.metric_prefix
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}
