variable "log_group_name" {
  description = "The CloudWatch Logs log group CloudTrail delivers to."
  type        = string
}

variable "sns_topic_arn" {
  description = "The SNS topic the alarms notify."
  type        = string
}

variable "namespace" {
  description = "The CloudWatch namespace of the metrics."
  type        = string
  default     = "CISBenchmark"
}
