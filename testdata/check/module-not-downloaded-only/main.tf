# The whole baseline lives in a git module that `terraform init` has not downloaded yet.
module "baseline" {
  source = "git::https://git.example.org/security/baseline.git//cloudtrail-alarms?ref=v2.1.0"

  trail_name       = "org-trail"
  alarm_namespace  = "CISBenchmark"
  notify_addresses = ["oncall@example.org"]
}
