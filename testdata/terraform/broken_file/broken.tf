resource "aws_cloudwatch_log_metric_filter" "bad" {
  name    = "broken"
  pattern = "{ $.eventName = "Unclosed }"
  log_group_name = 
}
