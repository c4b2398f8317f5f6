locals {
  controls = yamldecode(file("${path.module}/patterns/controls.yaml"))
}

resource "aws_cloudwatch_log_metric_filter" "yaml" {
  for_each       = local.controls
  name           = each.key
  pattern        = each.value.pattern
  log_group_name = "trail"

  metric_transformation {
    name      = each.key
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "templated" {
  name           = "kms"
  log_group_name = "trail"
  pattern        = templatefile("${path.module}/patterns/kms.tftpl", { events = ["DisableKey", "ScheduleKeyDeletion"] })

  metric_transformation {
    name      = "KMSKeyChanges"
    namespace = "CIS"
    value     = "1"
  }
}
