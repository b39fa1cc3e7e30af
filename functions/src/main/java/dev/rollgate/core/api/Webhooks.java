package dev.rollgate.core.api;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.SecretReferences;
import dev.rollgate.core.manifest.WebhookSpec;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Delivery;
import dev.rollgate.events.EventDecoder;
import dev.rollgate.events.Trigger;
import dev.rollgate.events.auth.Provider;
import dev.rollgate.events.auth.SenderVerifier;
import dev.rollgate.events.auth.Verification;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code webhook} function: finds the endpoint the request names ({@code ?endpoint=} or the
 * {@code X-Rollgate-Endpoint} header; the local host maps {@code /webhook/<name>} to it), checks
 * the sender against that endpoint's secret, and only then decodes.
 */
final class Webhooks {

  /** Query parameter (or header {@code X-Rollgate-Endpoint}) naming the endpoint. */
  static final String ENDPOINT = "endpoint";

  private final Manifest manifest;
  private final SecretResolver secrets;
  private final Clock clock;
  private final EventDecoder decoder;
  private final Deliveries deliveries;
  private final SenderVerifier verifier = new SenderVerifier();

  Webhooks(
      Manifest manifest,
      SecretResolver secrets,
      Clock clock,
      EventDecoder decoder,
      Deliveries deliveries) {
    this.manifest = manifest;
    this.secrets = secrets;
    this.clock = clock;
    this.decoder = decoder;
    this.deliveries = deliveries;
  }

  FunctionResponse handle(FunctionRequest request) {
    Instant received = clock.now();
    String name = request.query().get(ENDPOINT);
    if (name == null) {
      name = request.header("x-rollgate-endpoint");
    }
    if (name == null && manifest.webhooks().size() == 1) {
      name = manifest.webhooks().get(0).name();
    }
    List<String> configured = manifest.webhooks().stream().map(WebhookSpec::name).toList();
    if (name == null) {
      return Json.error(
          404,
          "not-found",
          "name the webhook endpoint: /webhook/<name>; configured: " + configured);
    }
    String endpoint = name;
    Optional<WebhookSpec> spec = manifest.webhook(endpoint);
    if (spec.isEmpty()) {
      return Json.error(
          404,
          "not-found",
          "no webhook endpoint '" + endpoint + "' in rollgate.yaml; configured: " + configured);
    }
    if (!SecretReferences.isReference(spec.get().secret(), secrets.schemes())) {
      // Never echoed: a value no resolver reads may be the secret itself.
      return Json.error(
          403,
          "forbidden",
          "webhook '"
              + endpoint
              + "' is disabled: "
              + SecretReferences.notAReference(
                  SecretReferences.webhookPath(spec.get()), secrets.schemes()));
    }
    Optional<String> secret = secrets.resolve(spec.get().secret());
    if (secret.isEmpty()) {
      return Json.error(
          403,
          "forbidden",
          "webhook '"
              + endpoint
              + "' is disabled: its secret "
              + spec.get().secret()
              + " is not set");
    }
    Delivery delivery;
    try {
      delivery = decoder.unwrap(request.body(), request.headers());
    } catch (DecodeException e) {
      return Json.error(400, "malformed", e.getMessage());
    }
    Verification verified =
        verifier.verify(
            Provider.parse(spec.get().verify()),
            secret.get(),
            delivery.body(),
            delivery.headers(),
            request.query(),
            received);
    if (!verified.ok()) {
      return Json.error(401, "unauthenticated", verified.reason());
    }
    List<Trigger> triggers;
    try {
      triggers = decoder.decode(delivery.body(), delivery.headers(), received);
    } catch (DecodeException e) {
      return Json.error(400, "malformed", e.getMessage());
    }
    // Keyed also on what the check vouches for: a replay under a new delivery id is a duplicate.
    return deliveries.handle(triggers, received, verified.replayKey());
  }
}
