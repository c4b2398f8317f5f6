# The configuration `plan.json` was made from; the README's `infra/` examples run here.
variable "env" {
  default = "dev"
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "plan-trail"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

module "cis" {
  source    = "./cis"
  topic_arn = aws_sns_topic.alerts.arn
  log_group = aws_cloudwatch_log_group.trail.name
}
