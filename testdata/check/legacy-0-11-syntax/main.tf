# Terraform 0.11 wrote nested block types in quotes; 0.12 and later refuse that.
variable "log_group_name" {
  default = "aws-cloudtrail-logs"
}

resource "aws_cloudwatch_log_metric_filter" "root_usage" {
  name           = "root-usage"
  log_group_name = "${var.log_group_name}"
  pattern        = "{ $.userIdentity.type = \"Root\" }"

  "metric_transformation" {
    name      = "RootUsage"
    namespace = "CISBenchmark"
    value     = "1"
  }
}
