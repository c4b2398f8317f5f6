variable "log_group" {
  type = string
}

variable "patterns" {
  type = map(string)
}

variable "alarm_topic_arn" {
  type = string
}

variable "period" {
  type    = number
  default = 60
}

resource "aws_cloudwatch_log_metric_filter" "from_vars" {
  for_each       = var.patterns
  name           = each.key
  pattern        = each.value
  log_group_name = var.log_group

  metric_transformation {
    name      = each.key
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "from_vars" {
  for_each            = var.patterns
  alarm_name          = each.key
  metric_name         = each.key
  namespace           = "Security"
  statistic           = "Sum"
  period              = var.period
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.alarm_topic_arn]
}
