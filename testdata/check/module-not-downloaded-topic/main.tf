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

# Subscribed inside the registry module below, which is not downloaded.
resource "aws_sns_topic" "alerts" {
  name = "security-alerts"
}

module "notifications" {
  source  = "example-org/sns-subscriptions/aws"
  version = "~> 1.4"

  topic_arn = aws_sns_topic.alerts.arn
  emails    = ["oncall@example.org"]
}

# The other controls' filters come from a second registry module on the trail's log group.
module "cis_alarms" {
  source  = "example-org/cis-alarms/aws"
  version = "~> 3.0"

  log_group_name = aws_cloudwatch_log_group.trail.name
  alarm_topic    = aws_sns_topic.alerts.arn
}

resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root-account-usage"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"

  metric_transformation {
    name      = "RootAccountUsage"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root-account-usage"
  namespace           = "CIS"
  metric_name         = aws_cloudwatch_log_metric_filter.root.metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.alerts.arn]
}
