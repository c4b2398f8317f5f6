resource "aws_kms_key" "sns" {
  description         = "CMK for the alarm topic"
  enable_key_rotation = true
}

resource "aws_kms_alias" "sns" {
  name          = "alias/cis-alarms"
  target_key_id = aws_kms_key.sns.key_id
}

resource "aws_sns_topic" "security" {
  name              = "security-alarms"
  kms_master_key_id = aws_kms_alias.sns.name
}

resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.security.arn
  protocol  = "email"
  endpoint  = "secops@example.com"
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "org-trail"
}

resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = "org-trail-logs"
  is_multi_region_trail         = true
  include_global_service_events = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}

module "cis_alarms" {
  source         = "./modules/cis-alarms"
  log_group_name = aws_cloudwatch_log_group.trail.name
  alarm_topic    = aws_sns_topic.security.arn
  controls       = ["root", "cloudtrail"]
}

module "extra" {
  source   = "./modules/cis-alarms"
  for_each = toset(["vpc"])

  log_group_name = aws_cloudwatch_log_group.trail.name
  alarm_topic    = aws_sns_topic.security.arn
  controls       = [each.key]
  prefix         = "extra-"
}

output "alarm_names" {
  value = module.cis_alarms.alarm_names
}
