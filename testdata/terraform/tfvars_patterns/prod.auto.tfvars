# auto.tfvars overrides terraform.tfvars
log_group = "cloudtrail-prod"
