# Terraform 0.11 style: quoted references and ["${var.list}"].
variable "alarm_actions" {
  type    = "list"
  default = ["arn:aws:sns:us-east-1:123456789012:a", "arn:aws:sns:us-east-1:123456789012:b"]
}

variable "log_group" {
  default = "legacy-trail"
}

resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "RootUsage"
  log_group_name = "${var.log_group}"
  pattern        = "{ $.userIdentity.type = \"Root\" }"

  metric_transformation {
    name      = "RootUsage"
    namespace = "LogMetrics"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name    = "root-usage"
  metric_name   = "${aws_cloudwatch_log_metric_filter.root.metric_transformation.0.name}"
  namespace     = "LogMetrics"
  alarm_actions = ["${var.alarm_actions}"]
  statistic     = "Sum"
}
