terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# The organisation's alerts topic lives elsewhere; its ARN is given per account.
variable "alerts_topic_arn" {
  type = string
}

# A registry module not downloaded: its outputs are unknown, but each is one value.
module "shared" {
  source  = "example-org/shared-monitoring/aws"
  version = "~> 2.0"
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

# Subscribed and notified through the same variable: the same topic, whatever its ARN.
resource "aws_sns_topic_subscription" "oncall" {
  topic_arn = var.alerts_topic_arn
  protocol  = "email"
  endpoint  = "oncall@example.org"
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
  metric_name         = "RootAccountUsage"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [var.alerts_topic_arn]
}

# The filter's metric name and the alarm's are the same output of the module.
resource "aws_cloudwatch_log_metric_filter" "cmk" {
  name           = "cmk-disable-or-deletion"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"

  metric_transformation {
    name      = module.shared.cmk_metric_name
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cmk" {
  alarm_name          = "cmk-disable-or-deletion"
  namespace           = "CIS"
  metric_name         = module.shared.cmk_metric_name
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [var.alerts_topic_arn]
}
