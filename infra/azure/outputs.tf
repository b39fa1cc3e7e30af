output "function_apps" {
  description = "The Function Apps by role (deploy, backup)."
  value       = { for role, app in azurerm_linux_function_app.rollgate : role => app.name }
}

output "webhook_url" {
  description = "Base URL of the webhook function: POST <url>/<endpoint> (auth level ANONYMOUS; each endpoint checks its sender)."
  value       = "https://${azurerm_linux_function_app.rollgate["deploy"].default_hostname}/api/webhook"
}

output "api_url" {
  description = "Base URL of promote (POST) and status (GET), auth level FUNCTION: send a function key as x-functions-key."
  value       = "https://${azurerm_linux_function_app.rollgate["deploy"].default_hostname}/api"
}

output "identities" {
  description = "Principal ids of the identities by role, to grant anything further by hand."
  value       = { for role, id in azurerm_user_assigned_identity.rollgate : role => id.principal_id }
}

output "ledger_server" {
  description = "FQDN of the ledger's PostgreSQL flexible server."
  value       = azurerm_postgresql_flexible_server.ledger.fqdn
}
