locals {
  catalog = {
    root = {
      metric  = "RootUsage"
      pattern = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    }
    cloudtrail = {
      metric  = "CloudTrailChanges"
      pattern = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    }
    vpc = {
      metric  = "VpcChanges"
      pattern = "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) }"
    }
  }
  selected = { for c in var.controls : c => local.catalog[c] }
}

resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each       = local.selected
  name           = "${var.prefix}${each.value.metric}"
  pattern        = each.value.pattern
  log_group_name = var.log_group_name

  metric_transformation {
    name      = each.value.metric
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local.selected
  alarm_name          = "${var.prefix}${each.key}"
  namespace           = "CISBenchmark"
  metric_name         = aws_cloudwatch_log_metric_filter.this[each.key].id
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.alarm_topic]
}

output "alarm_names" {
  value = [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]
}
