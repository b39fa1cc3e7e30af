output "function_urls" {
  description = "Each function's HTTPS URL (webhook endpoints: <webhook URL>/webhook/<name>)."
  value       = { for k, f in google_cloudfunctions2_function.rollgate : k => f.service_config[0].uri }
}

output "service_accounts" {
  description = "The service account of each role."
  value       = { for k, a in google_service_account.rollgate : k => a.email }
}

output "ledger_url_secret" {
  description = "The secret holding the ledger's JDBC URL (ROLLGATE_LEDGER_URL=gcp-sm:<this>)."
  value       = google_secret_manager_secret.ledger_url.id
}
