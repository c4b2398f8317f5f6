terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

# The CloudTrail side: a trail delivering management events to CloudWatch Logs.
resource "aws_cloudwatch_log_group" "trail" {
  name              = "aws-cloudtrail-logs-123456789012"
  retention_in_days = 365
}

resource "aws_iam_role" "cloudtrail_to_cloudwatch" {
  name = "cloudtrail-to-cloudwatch-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "cloudtrail_to_cloudwatch" {
  name = "deliver-to-log-group"
  role = aws_iam_role.cloudtrail_to_cloudwatch.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.trail.arn}:*"
    }]
  })
}

resource "aws_cloudtrail" "main" {
  name                          = "management-events"
  s3_bucket_name                = "example-cloudtrail-123456789012"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudtrail_to_cloudwatch.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}

variable "enabled" {
  description = "Create the CIS network alarms."
  type        = bool
  default     = true
}

variable "enable_vpc_alarm" {
  description = "Create the VPC changes alarm (off by default here)."
  type        = bool
  default     = false
}

resource "aws_sns_topic" "alerts" {
  count = var.enabled ? 1 : 0

  name = "security-alerts"
}

resource "aws_sns_topic_subscription" "security_team" {
  count = var.enabled ? 1 : 0

  topic_arn = aws_sns_topic.alerts[0].arn
  protocol  = "email"
  endpoint  = "security-team@example.com"
}

resource "aws_cloudwatch_log_metric_filter" "security_group_changes" {
  count = var.enabled ? 1 : 0

  name           = "security-group-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup)|| ($.eventName = ModifySecurityGroupRules) }"

  metric_transformation {
    name      = "security-group-changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "security_group_changes" {
  count = var.enabled ? 1 : 0

  alarm_name          = "cis-security-group-changes"
  alarm_description   = "Security group changes are monitored (CIS 4.10)"
  namespace           = "CISBenchmark"
  metric_name         = aws_cloudwatch_log_metric_filter.security_group_changes[0].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts[0].arn]
}

resource "aws_cloudwatch_log_metric_filter" "nacl_changes" {
  count = var.enabled ? 1 : 0

  name           = "nacl-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"

  metric_transformation {
    name      = "nacl-changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "nacl_changes" {
  count = var.enabled ? 1 : 0

  alarm_name          = "cis-nacl-changes"
  alarm_description   = "Network ACL changes are monitored (CIS 4.11)"
  namespace           = "CISBenchmark"
  metric_name         = aws_cloudwatch_log_metric_filter.nacl_changes[0].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts[0].arn]
}

# Toggled off: count = 0, so this pair does not exist and vpc-changes is not monitored.
resource "aws_cloudwatch_log_metric_filter" "vpc_changes" {
  count = var.enable_vpc_alarm ? 1 : 0

  name           = "vpc-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"

  metric_transformation {
    name      = "vpc-changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "vpc_changes" {
  count = var.enable_vpc_alarm ? 1 : 0

  alarm_name          = "cis-vpc-changes"
  alarm_description   = "VPC changes are monitored (CIS 4.14)"
  namespace           = "CISBenchmark"
  metric_name         = aws_cloudwatch_log_metric_filter.vpc_changes[0].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts[0].arn]
}
