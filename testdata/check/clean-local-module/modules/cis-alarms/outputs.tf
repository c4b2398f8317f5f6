output "alarm_arns" {
  description = "ARNs of the CIS alarms."
  value = [
    aws_cloudwatch_metric_alarm.cmk_disable_or_deletion.arn,
    aws_cloudwatch_metric_alarm.s3_bucket_policy_changes.arn,
    aws_cloudwatch_metric_alarm.config_changes.arn,
    aws_cloudwatch_metric_alarm.organizations_changes.arn,
  ]
}
