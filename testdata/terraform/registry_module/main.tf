module "cis" {
  source  = "terraform-aws-modules/cloudwatch/aws//modules/cis-alarms"
  version = "~> 5.0"

  log_group_name = "trail"
}

data "aws_caller_identity" "current" {}

resource "aws_sns_topic" "alerts" {
  name = "alerts-${data.aws_caller_identity.current.account_id}"
}
