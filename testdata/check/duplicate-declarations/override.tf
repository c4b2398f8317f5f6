# An override file changes a block declared elsewhere: merged, never a duplicate.
resource "aws_sns_topic" "alerts" {
  display_name = "Security alerts"
}
