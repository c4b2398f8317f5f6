resource "aws_sns_topic" "ok" {
  name = "still-loaded"
}
