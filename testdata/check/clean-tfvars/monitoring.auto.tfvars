# Loaded automatically, like terraform.tfvars.
console_auth_failures_pattern = <<-EOT
  { ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }
EOT
