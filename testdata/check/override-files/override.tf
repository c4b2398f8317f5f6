# Merged after fix_override.tf: its metric_transformation block replaces the filter's
# whole block, so the metric is renamed and the alarm (still on iam-policy-changes)
# watches a metric nothing publishes. The pattern from fix_override.tf stays.
resource "aws_cloudwatch_log_metric_filter" "iam_policy_changes" {
  metric_transformation {
    name      = "iam-changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

# Nothing to override: Terraform rejects this block.
resource "aws_sns_topic" "missing" {
  name = "missing"
}
