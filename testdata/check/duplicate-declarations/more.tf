# A second trail under the same name: Terraform refuses the module, and trailwatch must not
# merge it silently with the first (which logs one region only here would go unnoticed).
resource "aws_cloudtrail" "main" {
  name                       = "management-events-eu"
  s3_bucket_name             = "example-cloudtrail-123456789012"
  is_multi_region_trail      = false
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.cloudtrail_to_cloudwatch.arn
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "environment" {
  type    = string
  default = "dev"
}

locals {
  team = "security"
}

locals {
  team = "platform"
}

output "topic" {
  value = aws_sns_topic.alerts.arn
}

output "topic" {
  value = aws_sns_topic.alerts.id
}

data "aws_caller_identity" "current" {}

data "aws_caller_identity" "current" {}

module "alerts" {
  source = "./modules/alerts"
}

module "alerts" {
  source = "./modules/alerts"
}
