output "function_names" {
  description = "The Lambda functions, by rollgate function."
  value       = { for k, f in aws_lambda_function.rollgate : k => f.function_name }
}

output "webhook_url" {
  description = "Registries post to <webhook_url>webhook/<name> (name as in rollgate.yaml's webhooks)."
  value       = aws_lambda_function_url.webhook.function_url
}

output "promote_url" {
  description = "POST a promotion here with 'Authorization: Bearer <token>'."
  value       = aws_lambda_function_url.promote.function_url
}

output "abort_url" {
  description = "POST an abort of a deployment in flight here with 'Authorization: Bearer <token>'."
  value       = aws_lambda_function_url.abort.function_url
}

output "plan_url" {
  description = "POST an event here with 'Authorization: Bearer <token>' to see what it would do."
  value       = aws_lambda_function_url.plan.function_url
}

output "status_url" {
  description = "GET what serves where: JSON (signed requests unless status_url_auth = NONE); the page with Accept: text/html and rollgate.yaml's status.read-token."
  value       = aws_lambda_function_url.status.function_url
}

output "push_dead_letter_queue" {
  description = "Pushes imagePushed failed 5 times on."
  value       = aws_sqs_queue.pushes_dlq.url
}
