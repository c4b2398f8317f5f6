# The seed remediation (quoted pattern, no opening brace), and a `<<-` heredoc whose closing
# marker is indented.
variable "log_group_name" {
  default = "aws-cloudtrail-logs"
}

variable "endpoint" {}

resource "aws_sns_topic" "trail-unauthorised" {
  name              = "Unauthorised"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "sms" {
  topic_arn = aws_sns_topic.trail-unauthorised.arn
  protocol  = "sms"
  endpoint  = var.endpoint
}

resource "aws_cloudwatch_log_metric_filter" "policychange" {
  name    = "iam_changes_metric"
  pattern = <<PATTERN
"($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=PutGroupPolicy)}"
PATTERN
  log_group_name = var.log_group_name

  metric_transformation {
    name      = "iam_changes_metric"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "indented" {
  name           = "cloudtrail_changes"
  log_group_name = var.log_group_name
  pattern        = <<-EOT
      {
        ($.eventName = CreateTrail) ||
        ($.eventName = StopLoging)
      }
    EOT

  metric_transformation {
    name      = "cloudtrail_changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "policychange" {
  alarm_name          = "iam_changes_alarm"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "iam_changes_metric"
  namespace           = "CISBenchmark"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_sns_topic.trail-unauthorised.arn]
}

# A `<<-` heredoc with a directive on its own lines: Terraform dedents inside it too.
resource "aws_cloudwatch_log_metric_filter" "directive" {
  name           = "mfa_changes"
  log_group_name = var.log_group_name
  pattern        = <<-EOT
    {
    %{~ for i, e in ["DeactivateMFADevice", "DeleteVirtualMFADevice"] ~}
      ${i > 0 ? "||" : ""} ($.eventName = ${e})
    %{~ endfor ~}
    }
  EOT

  metric_transformation {
    name      = "mfa_changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}
