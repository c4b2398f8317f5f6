resource "aws_cloudwatch_metric_alarm" "eval_errors" {
  alarm_name  = local.missing
  metric_name = upper(["not", "a", "string"])
  namespace   = cidrsubnet("10.0.0.0/16", 8, 1)
  period      = try(local.cfg.period, 300)
  threshold   = local.cycle_a
}

locals {
  cfg     = {}
  cycle_a = local.cycle_b
  cycle_b = local.cycle_a
}
