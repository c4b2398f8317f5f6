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

# A reference module's shape: filters over a map, one alarm per filter through `each.value`.
locals {
  controls = {
    "root-account-usage" = {
      pattern = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
      metric  = "root-account-usage"
    }
    "mfa-deactivation" = {
      pattern = "{ ($.eventName = DeactivateMFADevice) }"
      metric  = "MFADeactivationCount"
    }
  }
}

resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each       = local.controls
  name           = each.key
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = each.value.pattern

  metric_transformation {
    name      = each.value.metric
    namespace = "Baseline"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = aws_cloudwatch_log_metric_filter.this
  alarm_name          = each.key
  namespace           = each.value.metric_transformation[0].namespace
  metric_name         = each.value.id
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}
