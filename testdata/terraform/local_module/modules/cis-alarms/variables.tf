variable "log_group_name" {
  type = string
}

variable "alarm_topic" {
  type = string
}

variable "controls" {
  type = list(string)
}

variable "prefix" {
  type    = string
  default = ""
}
