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

variable "custom_metric" {
  type = string
}

variable "nacl_metric" {
  type = string
}

variable "environment" {
  type = string
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
  alarm_actions       = [aws_sns_topic.security.arn]
}

# Its own alarm is known to watch it and notifies nobody: an error, whatever other alarms watch.
resource "aws_cloudwatch_log_metric_filter" "cloudtrail" {
  name           = "cloudtrail-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"

  metric_transformation {
    name      = "CloudTrailChanges"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cloudtrail" {
  alarm_name          = "cloudtrail-changes"
  namespace           = "CIS"
  metric_name         = "CloudTrailChanges"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
}

# No alarm of its own: the alarm on var.custom_metric may be the one that watches it.
resource "aws_cloudwatch_log_metric_filter" "cmk" {
  name           = "cmk-disable-or-deletion"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"

  metric_transformation {
    name      = "CMKChanges"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "custom" {
  alarm_name          = "custom"
  namespace           = "CIS"
  metric_name         = var.custom_metric
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}

# Another namespace, or a name that ends differently, decides against these alarms.
resource "aws_cloudwatch_metric_alarm" "other_namespace" {
  alarm_name          = "other"
  namespace           = "Application"
  metric_name         = var.custom_metric
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}

resource "aws_cloudwatch_metric_alarm" "config" {
  alarm_name          = "config"
  namespace           = "CIS"
  metric_name         = "${var.environment}-ConfigChanges"
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.security.arn]
}

# The filter's own metric name is unknown: the note is about it, not about some alarm.
resource "aws_cloudwatch_log_metric_filter" "nacl" {
  name           = "nacl-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"

  metric_transformation {
    name      = var.nacl_metric
    namespace = "CIS"
    value     = "1"
  }
}
