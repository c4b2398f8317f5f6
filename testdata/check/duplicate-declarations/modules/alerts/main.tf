variable "name" {
  type    = string
  default = "alerts"
}
