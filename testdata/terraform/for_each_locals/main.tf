# for_each over a locals map merged with per-environment overrides.
variable "name_prefix" {
  type    = string
  default = "cis"
}

variable "overrides" {
  type = map(object({
    pattern     = optional(string)
    metric_name = optional(string)
    threshold   = optional(number, 1)
  }))
  default = {
    root_usage = {
      pattern = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    }
  }
}

locals {
  # Defined before it is used below, on purpose: locals may appear in any order.
  controls = merge(local.defaults, {
    for k, v in var.overrides : k => merge(local.defaults[k], { for a, b in v : a => b if b != null })
  })

  defaults = {
    root_usage = {
      pattern     = "{ $.userIdentity.type = \"Root\" }"
      metric_name = "RootAccountUsage"
      threshold   = 1
    }
    console_no_mfa = {
      pattern     = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"
      metric_name = "ConsoleSigninWithoutMFA"
      threshold   = 1
    }
  }
  namespace = "${upper(var.name_prefix)}Benchmark"
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "${var.name_prefix}-cloudtrail"
  retention_in_days = 365
}

resource "aws_sns_topic" "alarms" {
  name = "${var.name_prefix}-alarms"
}

resource "aws_cloudwatch_log_metric_filter" "cis" {
  for_each       = local.controls
  name           = each.value.metric_name
  pattern        = each.value.pattern
  log_group_name = aws_cloudwatch_log_group.trail.name

  metric_transformation {
    name      = each.value.metric_name
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cis" {
  for_each            = aws_cloudwatch_log_metric_filter.cis
  alarm_name          = "${var.name_prefix}-${each.key}"
  metric_name         = each.value.metric_transformation[0].name
  namespace           = each.value.metric_transformation[0].namespace
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = local.controls[each.key].threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
