package dev.rollgate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.DigestResolver;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.DistributionRegistry;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.TestPostgres;
import dev.rollgate.testing.TokenRealm;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes without a digest (Docker Hub's webhook, rollgate's plain format with a tag only) through
 * rollgate's functions, resolved against real Distribution registries: what deploys and what the
 * ledger records is the digest the tag named when the push was accepted.
 */
class TagPinningIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static DistributionRegistry hub;
  private static DistributionRegistry guarded;
  private static TokenRealm realm;
  private static int dead;

  private EngineHarness h;
  private RollgateApi api;
  private RollgateApi recordOnly;

  @BeforeAll
  static void registries() throws Exception {
    hub = DistributionRegistry.start(dir.resolve("hub"));
    realm = TokenRealm.start(dir, "rollgate", "pull-secret");
    guarded = DistributionRegistry.start(dir.resolve("guarded"), realm);
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() {
    guarded.close();
    realm.close();
    hub.close();
  }

  @BeforeEach
  void rollgate() {
    String health = "health: { interval: 1s, successThreshold: 2, deadline: 30s }";
    String manifest =
        """
        registries:
          docker.io: { url: "%1$s" }
          "%2$s": { url: "%3$s", username: rollgate, password: env:GUARDED_PASSWORD }
          "127.0.0.1:%4$d": { url: "http://127.0.0.1:%4$d" }
          "%6$s": { url: "%1$s" }
          "localhost:5999": { username: rollgate, password: env:NOT_SET_ANYWHERE }
        apps:
          - name: shop
            image: docker.io/team/shop
            environments:
              staging: { target: { platform: memory, service: shop-staging }, %5$s }
          - name: api
            image: %2$s/private/team/api
            environments:
              staging: { target: { platform: memory, service: api-staging }, %5$s }
          - name: gone
            image: 127.0.0.1:%4$d/team/gone
            environments:
              staging: { target: { platform: memory, service: gone-staging }, %5$s }
          - name: web
            image: "%6$s/octo-org/web"
            environments:
              staging: { target: { platform: memory, service: web-staging }, %5$s }
          - name: ghost
            image: localhost:5999/team/ghost
            environments:
              staging: { target: { platform: memory, service: ghost-staging }, %5$s }
        """
            .formatted(
                hub.endpoint(), guarded.host(), guarded.endpoint(), dead, health, hub.host());
    // The PostgreSQL ledger: a REFUSED deployment without a digest is written like any other.
    h = new EngineHarness(JdbcLedger.migrateAndOpen(TestPostgres.freshDatabase()), manifest, null);
    EnvSecretResolver secrets =
        new EnvSecretResolver(Map.of("GUARDED_PASSWORD", "pull-secret")::get);
    DigestResolver registries =
        new RegistryApiDigestResolver(Duration.ofSeconds(5), 2, Duration.ofMillis(20));
    api =
        new RollgateApi(h.engine, secrets, Duration.ofMinutes(5), new BackupApi(null), registries);
    // A zero budget records the push and advances nothing: the rollout waits for reconcile.
    recordOnly = new RollgateApi(h.engine, secrets, Duration.ZERO, new BackupApi(null), registries);
  }

  /** A Docker Hub repository webhook (constructed in its documented shape): a tag, no digest. */
  private static String dockerHubPush(String repository, String tag, long pushedAt) {
    return """
        {"push_data": {"pushed_at": %d, "pusher": "ci", "tag": "%s"},
         "repository": {"repo_name": "%s", "namespace": "%s", "name": "%s", "is_private": false}}
        """
        .formatted(
            pushedAt,
            tag,
            repository,
            repository.substring(0, repository.indexOf('/')),
            repository.substring(repository.indexOf('/') + 1));
  }

  @Test
  void push_shouldDeployTheDigestResolvedOnArrival_whenTheTagMovesBeforeTheRollout()
      throws Exception {
    // GIVEN team/shop:v1 on image A at the registry
    String a = hub.pushImage("team/shop", "v1", "release A");
    String b = hub.pushImage("team/shop", "next", "release B");
    // WHEN Docker Hub says v1 was pushed, and rollgate records it without rolling out yet
    FunctionResponse r =
        recordOnly.imagePushed(FunctionRequest.of(dockerHubPush("team/shop", "v1", 1764842400)));
    assertEquals(202, r.status(), r.body());
    Deployment pending = h.latest("shop", "staging");
    assertEquals(Phase.PENDING, pending.phase(), pending.detail());
    assertEquals(a, pending.image().digest());
    assertTrue(pending.detail().contains("tag v1 resolved at docker.io to " + a), pending.detail());
    // AND the tag moves to image B before the rollout
    hub.retag("team/shop", "v1", b);
    assertEquals(
        b,
        new RegistryApiDigestResolver()
            .resolve(
                new DigestResolver.Request("docker.io", hub.endpoint(), "team/shop", "v1", null))
            .digest());
    h.reconcile();
    // THEN A rolled out, pinned by digest, and the ledger records A with its tag
    Deployment done = h.latest("shop", "staging");
    assertEquals(Phase.SUCCEEDED, done.phase(), done.detail());
    assertEquals(new ImageRef("docker.io", "team/shop", "v1", a), done.image());
    List<ImageRef> rolledOut = h.platform.history("shop-staging");
    assertEquals(List.of(a), rolledOut.stream().map(ImageRef::digest).toList());
    assertEquals("docker.io/team/shop@" + a, rolledOut.get(0).pinned());
    assertTrue(
        h.ledger.transitions(done.id()).stream()
            .map(Transition::reason)
            .anyMatch(reason -> reason != null && reason.contains(a)));
  }

  @Test
  void push_shouldAskNoRegistry_whenNoAppFollowsTheRepository() throws Exception {
    // GIVEN Docker Hub's push of a repository no app follows, of a tag no registry holds
    FunctionResponse r =
        api.imagePushed(FunctionRequest.of(dockerHubPush("someone/else", "v1", 1764842600)));
    // THEN it is acknowledged, not refused: there was nothing to resolve
    assertEquals(200, r.status(), r.body());
    assertTrue(r.body().contains("no app in rollgate.yaml follows someone/else"), r.body());
  }

  @Test
  void push_shouldRefuseWithTheReason_whenTheTagDoesNotExist() throws Exception {
    // GIVEN a push of a tag the registry does not hold
    hub.pushImage("team/shop", "v1", "release A");
    String body = dockerHubPush("team/shop", "v404", 1764842500);
    // WHEN it arrives
    FunctionResponse r = api.imagePushed(FunctionRequest.of(body));
    // THEN it is recorded as REFUSED, saying why, and nothing rolls out
    assertEquals(202, r.status(), r.body());
    Deployment refused = h.latest("shop", "staging");
    assertEquals(Phase.REFUSED, refused.phase());
    assertNull(refused.image().digest());
    assertEquals("v404", refused.image().tag());
    assertTrue(
        refused.detail().contains("tag v404 of docker.io/team/shop does not exist"),
        refused.detail());
    assertTrue(h.platform.history("shop-staging").isEmpty());
    // AND the same delivery again is a duplicate, not a retry
    JsonNode again = JSON.readTree(api.imagePushed(FunctionRequest.of(body)).body());
    assertTrue(again.path("duplicate").asBoolean(), again.toString());
  }

  @Test
  void
      push_shouldResolveThroughTheTokenRealmWithTheManifestsCredentials_whenThePlainFormatNamesATag()
          throws Exception {
    // GIVEN a private repository behind token auth, its password a secret reference
    String digest =
        guarded.pushIndex(
            "private/team/api",
            "2.0.0",
            "api",
            DistributionRegistry.OCI_INDEX,
            List.of("amd64", "arm64"));
    int before = realm.calls().size();
    // WHEN a CI job posts rollgate's plain format with a tag and no digest
    String body =
        "{\"registry\":\"%s\",\"repository\":\"private/team/api\",\"tag\":\"2.0.0\",\"id\":\"ci-77\"}"
            .formatted(guarded.host());
    FunctionResponse r = api.imagePushed(FunctionRequest.of(body));
    // THEN the index digest deploys, after a token fetched with the credentials
    assertEquals(202, r.status(), r.body());
    Deployment d = h.latest("api", "staging");
    assertEquals(Phase.SUCCEEDED, d.phase(), d.detail());
    assertEquals(digest, d.image().digest());
    assertTrue(realm.calls().get(before).withCredentials());
    assertFalse(r.body().contains("pull-secret"), r.body());
  }

  @Test
  void push_shouldPinTheFirstTag_whenQuayReportsSeveralUpdatedTags() throws Exception {
    // GIVEN v1.4.2 and latest on different images (latest was moved on by a later push)
    String release = hub.pushImage("octo-org/web", "v1.4.2", "web 1.4.2");
    hub.pushImage("octo-org/web", "latest", "web 1.5.0-rc");
    // WHEN Quay's repository-push notification (its constructed fixture's shape) names both
    String body =
        """
        {"name": "web", "repository": "octo-org/web", "namespace": "octo-org",
         "docker_url": "%s/octo-org/web", "updated_tags": ["v1.4.2", "latest"]}
        """
            .formatted(hub.host());
    FunctionResponse r = api.imagePushed(FunctionRequest.of(body));
    // THEN the first tag, the one the deployment records, is the one pinned
    assertEquals(202, r.status(), r.body());
    Deployment d = h.latest("web", "staging");
    assertEquals(Phase.SUCCEEDED, d.phase(), d.detail());
    assertEquals("v1.4.2", d.image().tag());
    assertEquals(release, d.image().digest());
  }

  @Test
  void push_shouldAnswer503AndRecordNothing_whenTheRegistryIsUnreachable() throws Exception {
    // GIVEN a registry nobody answers for
    String body =
        "{\"registry\":\"127.0.0.1:%d\",\"repository\":\"team/gone\",\"tag\":\"v1\"}"
            .formatted(dead);
    // WHEN a push of it arrives
    FunctionResponse r = api.imagePushed(FunctionRequest.of(body));
    // THEN the sender is told to try again, and the event is not recorded (a resend is no
    // duplicate)
    assertEquals(503, r.status(), r.body());
    assertEquals("registry-unavailable", JSON.readTree(r.body()).path("reason").asText());
    assertTrue(h.deployments("gone", "staging").isEmpty());
    assertEquals(503, api.imagePushed(FunctionRequest.of(body)).status());
  }

  @Test
  void push_shouldRefuseNamingTheSetting_whenTheRegistryPasswordIsNotSet() throws Exception {
    String body = "{\"registry\":\"localhost:5999\",\"repository\":\"team/ghost\",\"tag\":\"v1\"}";
    FunctionResponse r = api.imagePushed(FunctionRequest.of(body));
    assertEquals(202, r.status(), r.body());
    Deployment d = h.latest("ghost", "staging");
    assertEquals(Phase.REFUSED, d.phase());
    assertTrue(
        d.detail()
            .startsWith(
                "registries.localhost:5999.password: the secret env:NOT_SET_ANYWHERE is not set"),
        d.detail());
  }
}
