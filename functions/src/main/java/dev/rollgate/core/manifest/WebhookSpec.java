package dev.rollgate.core.manifest;

/**
 * One webhook endpoint ({@code /webhook/<name>}) and how its sender is checked.
 *
 * @param name the endpoint's name, in its path
 * @param verify the check: {@code github}, {@code harbor}, {@code dockerhub}, {@code quay}, {@code
 *     token} (Event Grid, ACR) or {@code hmac}; defaults to the name
 * @param secret reference to the webhook's secret (or token)
 */
public record WebhookSpec(String name, String verify, SecretRef secret) {}
