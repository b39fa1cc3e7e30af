package dev.rollgate.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.events.auth.SenderVerifier;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTest {

  private static final String MANIFEST =
      """
      webhooks:
        github: { secret: env:GITHUB_SECRET }
        dockerhub: { secret: env:DOCKERHUB_TOKEN }
        hmac: { secret: env:HOOK_SECRET }
        acr: { verify: token, secret: env:ACR_TOKEN }
        quay: { secret: env:QUAY_TOKEN_NOT_SET }
        harbor: { secret: "postgresql://u:LITERAL-PASSWORD@db.internal/app" }
      apps:
        - name: hello
          image: ghcr.io/codertocat/hello-world
          environments:
            staging:
              target: { platform: memory, service: hello-staging }
              health: { interval: 1s, successThreshold: 2, deadline: 30s }
        - name: shop
          image: registry.test/team/shop
          environments:
            staging:
              target: { platform: memory, service: shop-staging }
              health: { interval: 1s, successThreshold: 2, deadline: 30s }
      """;

  private EngineHarness h;

  @BeforeEach
  void harness() {
    h = new EngineHarness(new InMemoryLedger(), MANIFEST, null);
  }

  private static byte[] fixture(String name) throws Exception {
    // The events module's fixtures: real payloads, with their origins in SOURCES.md.
    return Files.readAllBytes(Path.of("../events/fixtures", name));
  }

  private FunctionResponse webhook(
      String endpoint, byte[] body, Map<String, String> headers, Map<String, String> query) {
    Map<String, String> q = new HashMap<>(query);
    q.put("endpoint", endpoint);
    return h.api.webhook(new FunctionRequest(body, headers, q));
  }

  private static Map<String, String> github(String event, byte[] body, String delivery) {
    return Map.of(
        "X-GitHub-Event",
        event,
        "X-GitHub-Delivery",
        delivery,
        "X-Hub-Signature-256",
        SenderVerifier.githubSignature(EngineHarness.WEBHOOK_SECRET, body),
        "Content-Type",
        "application/json");
  }

  @Test
  void webhook_shouldDeploy_whenGitHubSignedAPackagePublished() throws Exception {
    // GIVEN GitHub's real "package published" payload, signed with the endpoint's secret
    byte[] body = fixture("github-package-published-docker.json");
    // WHEN delivered to /webhook/github
    FunctionResponse r = webhook("github", body, github("package", body, "d-1"), Map.of());
    // THEN hello deploys the published digest
    assertEquals(202, r.status(), r.body());
    Deployment d = h.latest("hello", "staging");
    assertEquals(Phase.SUCCEEDED, d.phase(), d.detail());
    assertEquals(
        "sha256:3da1996a8115d7616457760d9920b815241d0a03b34cf5f04e9a0e9d8de37498",
        d.image().digest());
  }

  @Test
  void webhook_shouldRefuseWith401_whenTheSignatureIsWrongOrMissing() throws Exception {
    byte[] body = fixture("github-package-published-docker.json");
    Map<String, String> forged = new HashMap<>(github("package", body, "d-1"));
    forged.put("X-Hub-Signature-256", SenderVerifier.githubSignature("guess", body));
    FunctionResponse r = webhook("github", body, forged, Map.of());
    assertEquals(401, r.status(), r.body());
    assertTrue(r.body().contains("\"reason\":\"unauthenticated\""), r.body());
    assertFalse(r.body().contains(EngineHarness.WEBHOOK_SECRET));
    forged.remove("X-Hub-Signature-256");
    assertEquals(401, webhook("github", body, forged, Map.of()).status());
    assertTrue(h.deployments("hello", "staging").isEmpty(), "nothing was deployed");
  }

  @Test
  void webhook_shouldDeployNothing_whenADeliveryIsReplayed() throws Exception {
    byte[] body = fixture("github-package-published-docker.json");
    webhook("github", body, github("package", body, "d-1"), Map.of());
    FunctionResponse replay = webhook("github", body, github("package", body, "d-1"), Map.of());
    assertEquals(200, replay.status());
    assertTrue(replay.body().contains("\"duplicate\":true"), replay.body());
    assertEquals(1, h.deployments("hello", "staging").size());
  }

  @Test
  void webhook_shouldDeployNothing_whenASignedBodyIsReplayedUnderANewDeliveryId() throws Exception {
    // GIVEN a signed GitHub delivery that deployed
    byte[] body = fixture("github-package-published-docker.json");
    assertEquals(202, webhook("github", body, github("package", body, "d-1"), Map.of()).status());
    // WHEN the same signed body is sent again with a delivery id of the attacker's choosing
    FunctionResponse replay = webhook("github", body, github("package", body, "d-2"), Map.of());
    // THEN it is a duplicate: the signature covers the body, not the id
    assertEquals(200, replay.status(), replay.body());
    assertTrue(replay.body().contains("\"duplicate\":true"), replay.body());
    assertEquals(1, h.deployments("hello", "staging").size());
  }

  @Test
  void webhook_shouldAnswerHandshakes_whenGitHubPingsOrEventGridValidates() throws Exception {
    byte[] ping = fixture("github-ping.json");
    FunctionResponse pong = webhook("github", ping, github("ping", ping, "d-2"), Map.of());
    assertEquals(200, pong.status());
    assertEquals("{}", pong.body());
    byte[] validation = fixture("azure-eventgrid-subscription-validation.json");
    Map<String, String> aeg = Map.of("aeg-event-type", "SubscriptionValidation");
    FunctionResponse ok =
        webhook("acr", validation, aeg, Map.of("token", EngineHarness.WEBHOOK_SECRET));
    assertEquals(200, ok.status(), ok.body());
    assertEquals("{\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}", ok.body());
    assertEquals(401, webhook("acr", validation, aeg, Map.of("token", "nope")).status());
  }

  @Test
  void webhook_shouldSayTheDigestIsMissing_whenDockerHubPushesATagAndNoRegistryClientIsSet()
      throws Exception {
    byte[] body = fixture("dockerhub-webhook-push.json");
    assertEquals(401, webhook("dockerhub", body, Map.of(), Map.of()).status());
    FunctionResponse r =
        webhook("dockerhub", body, Map.of(), Map.of("token", EngineHarness.WEBHOOK_SECRET));
    assertEquals(400, r.status(), r.body());
    assertTrue(
        r.body().contains("dockerhub sent no digest for svendowideit/testhook:latest"), r.body());
  }

  @Test
  void push_shouldBeRefusedAsBefore_whenRollgateHasNoRegistryClient() throws Exception {
    // GIVEN an api built without a registry client (the constructors without a DigestResolver)
    byte[] body =
        "{\"repository\":\"registry.test/team/shop\",\"tag\":\"v1\",\"id\":\"ci-tag\"}"
            .getBytes(StandardCharsets.UTF_8);
    // WHEN a followed repository is pushed with a tag and no digest
    FunctionResponse r = h.api.imagePushed(new FunctionRequest(body, Map.of(), Map.of()));
    // THEN it is a 400 no-digest saying why, and nothing is recorded
    assertEquals(400, r.status(), r.body());
    assertTrue(r.body().contains("assembled without a registry client"), r.body());
    assertTrue(h.deployments("shop", "staging").isEmpty());
  }

  @Test
  void webhook_shouldAcceptTheSignedPlainFormat_onlyInsideTheTimeWindow() {
    byte[] body =
        EngineHarness.push("shop", "v1", 1, "ci-1", null).getBytes(StandardCharsets.UTF_8);
    long now = h.clock.now().getEpochSecond();
    FunctionResponse ok = webhook("hmac", body, hmac(now, body), Map.of());
    assertEquals(202, ok.status(), ok.body());
    assertEquals(Deployments.digest(1), h.latest("shop", "staging").image().digest());
    byte[] other =
        EngineHarness.push("shop", "v2", 2, "ci-2", null).getBytes(StandardCharsets.UTF_8);
    FunctionResponse stale = webhook("hmac", other, hmac(now - 600, other), Map.of());
    assertEquals(401, stale.status(), stale.body());
    assertEquals(1, h.deployments("shop", "staging").size());
  }

  private static Map<String, String> hmac(long epoch, byte[] body) {
    return Map.of(
        SenderVerifier.TIMESTAMP,
        String.valueOf(epoch),
        SenderVerifier.SIGNATURE,
        SenderVerifier.hmacSignature(EngineHarness.WEBHOOK_SECRET, epoch, body));
  }

  @Test
  void webhook_shouldAnswer404Or403_whenTheEndpointIsUnknownOrHasNoSecret() {
    FunctionResponse unknown = webhook("gitlab", new byte[0], Map.of(), Map.of());
    assertEquals(404, unknown.status());
    assertTrue(unknown.body().contains("no webhook endpoint 'gitlab'"), unknown.body());
    FunctionResponse disabled = webhook("quay", new byte[0], Map.of(), Map.of());
    assertEquals(403, disabled.status());
    assertTrue(disabled.body().contains("env:QUAY_TOKEN_NOT_SET is not set"), disabled.body());
  }

  @Test
  void webhook_shouldAnswer403WithoutEchoingIt_whenTheSecretIsALiteralNotAReference() {
    // GIVEN webhooks.harbor.secret holds a literal value, not a scheme:name reference
    // WHEN a delivery arrives there
    FunctionResponse r = webhook("harbor", new byte[0], Map.of("Authorization", "x"), Map.of());
    // THEN it is refused naming where the value is, never the value itself
    assertEquals(403, r.status(), r.body());
    assertTrue(r.body().contains("the value at webhooks.harbor.secret is not a secret"), r.body());
    assertFalse(r.body().contains("LITERAL-PASSWORD"), r.body());
  }

  @Test
  void imagePushed_shouldDecodeRegistryEvents_whenInvokedByTheCloud() throws Exception {
    // GIVEN EventBridge's ECR push, as EventBridge hands it to the function (no signature: IAM)
    FunctionResponse r =
        h.api.imagePushed(
            new FunctionRequest(fixture("aws-ecr-image-scan.json"), Map.of(), Map.of()));
    // THEN a scan result is acknowledged and deploys nothing
    assertEquals(200, r.status(), r.body());
    assertTrue(r.body().contains("not a deploy trigger"), r.body());
  }
}
