terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "org-trail-events"
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

variable "create" {
  type    = bool
  default = true
}

# 0.11-style conditional resources: the alarms read the filters' ids through splats.
resource "aws_cloudwatch_log_metric_filter" "iam" {
  count          = var.create ? 1 : 0
  name           = "iam-policy-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"

  metric_transformation {
    name      = "EventCount"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "iam" {
  count               = var.create ? 1 : 0
  alarm_name          = "iam-policy-changes"
  namespace           = "CISBenchmark"
  metric_name         = join("", aws_cloudwatch_log_metric_filter.iam.*.id)
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}

# The same filter name and metric name: `element(….*.id, 0)` watches the right metric.
resource "aws_cloudwatch_log_metric_filter" "cmk" {
  count          = var.create ? 1 : 0
  name           = "cmk-disable-or-deletion"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"

  metric_transformation {
    name      = "cmk-disable-or-deletion"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cmk" {
  count               = var.create ? 1 : 0
  alarm_name          = "cmk-disable-or-deletion"
  namespace           = "CISBenchmark"
  metric_name         = element(aws_cloudwatch_log_metric_filter.cmk.*.id, 0)
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}
