variable "enable_monitoring" {
  type    = bool
  default = true
}

variable "enable_mfa_alarm" {
  default = false
}

resource "aws_cloudwatch_log_group" "this" {
  count = var.enable_monitoring ? 1 : 0
  name  = "cloudtrail-events"
}

resource "aws_cloudwatch_log_metric_filter" "iam_changes" {
  count          = var.enable_monitoring ? 1 : 0
  name           = "IAMPolicyChanges"
  log_group_name = aws_cloudwatch_log_group.this[0].name
  pattern        = "{($.eventName=DeleteGroupPolicy)||($.eventName=PutGroupPolicy)}"

  metric_transformation {
    name      = "IAMPolicyEventCount"
    namespace = "CloudTrailMetrics"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "iam_changes" {
  count               = length(aws_cloudwatch_log_metric_filter.iam_changes)
  alarm_name          = "iam-changes-${count.index}"
  metric_name         = aws_cloudwatch_log_metric_filter.iam_changes[count.index].metric_transformation[0].name
  namespace           = aws_cloudwatch_log_metric_filter.iam_changes[0].metric_transformation[0].namespace
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = aws_sns_topic.alerts[*].arn
}

resource "aws_cloudwatch_metric_alarm" "mfa" {
  count      = var.enable_mfa_alarm ? 1 : 0
  alarm_name = "never-created"
}

resource "aws_sns_topic" "alerts" {
  count = 2
  name  = "alerts-${count.index}"
}
