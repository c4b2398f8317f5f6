locals {
  iam_events = [
    "DeleteGroupPolicy",
    "DeleteRolePolicy",
    "DeleteUserPolicy",
    "PutGroupPolicy",
    "PutRolePolicy",
    "PutUserPolicy",
  ]
  iam_pattern = "{ ${join(" || ", [for e in local.iam_events : "($.eventName = ${e})"])} }"

  sg_events  = ["AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress"]
  sg_pattern = format("{ %s }", join(" || ", formatlist("($.eventName = %s)", local.sg_events)))

  nacl_pattern = <<-EOT
    { %{ for i, e in ["CreateNetworkAcl", "DeleteNetworkAcl"] }%{ if i > 0 } || %{ endif }($.eventName = ${e})%{ endfor } }
  EOT
}

resource "aws_cloudwatch_log_metric_filter" "iam" {
  name           = "iam-policy-changes"
  pattern        = local.iam_pattern
  log_group_name = "trail"

  metric_transformation {
    name      = "IAMPolicyChanges"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "sg" {
  name           = "sg-changes"
  pattern        = local.sg_pattern
  log_group_name = "trail"

  metric_transformation {
    name      = "SecurityGroupChanges"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "nacl" {
  name           = "nacl-changes"
  pattern        = trimspace(local.nacl_pattern)
  log_group_name = "trail"

  metric_transformation {
    name      = "NACLChanges"
    namespace = "CIS"
    value     = "1"
  }
}
