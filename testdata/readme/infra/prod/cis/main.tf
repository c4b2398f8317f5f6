variable "topic_arn" {}
variable "log_group" {}

resource "aws_cloudwatch_log_metric_filter" "root" {
  count          = 1
  name           = "RootUsage"
  log_group_name = var.log_group
  pattern        = "{ $.userIdentity.type = \"Root\" }"

  metric_transformation {
    name      = "RootUsage"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name    = "root-usage"
  metric_name   = "RootUsage"
  namespace     = "CIS"
  statistic     = "Sum"
  period        = 300
  threshold     = 1
  alarm_actions = [var.topic_arn]
}
