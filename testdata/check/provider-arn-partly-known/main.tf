terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  # Region and account are read from the cloud: only the names in these ARNs are known.
  arn_prefix = "${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
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
  cloud_watch_logs_group_arn    = "arn:aws:logs:${local.arn_prefix}:log-group:${aws_cloudwatch_log_group.trail.id}:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/trail-to-logs"
}

resource "aws_sns_topic" "security" {
  name = "security-events"
}

resource "aws_sns_topic_subscription" "oncall" {
  topic_arn = "arn:aws:sns:${local.arn_prefix}:security-events"
  protocol  = "email"
  endpoint  = "oncall@example.org"
}

resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root-account-usage"
  log_group_name = "org-trail-events"
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"

  metric_transformation {
    name      = "root-account-usage"
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root-account-usage"
  namespace           = "Security"
  metric_name         = "root-account-usage"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = ["arn:aws:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${aws_sns_topic.security.name}"]
}

# An Auto Scaling action written the same way is no SNS topic.
resource "aws_cloudwatch_metric_alarm" "scale" {
  alarm_name          = "scale-out"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  alarm_actions       = ["arn:aws:autoscaling:${local.arn_prefix}:scalingPolicy:policy-id:autoScalingGroupName/web:policyName/scale-out"]
}
