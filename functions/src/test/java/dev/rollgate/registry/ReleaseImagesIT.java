package dev.rollgate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.ReleasePart;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.DistributionRegistry;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryLedger;
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
 * A release of two services from two repositories, matched to one version by tag against a real
 * Distribution registry: the push of team/shop:v1 releases api (team/shop, the pushed digest) and
 * web (team/web at tag v1, resolved to a digest once, when the push arrives).
 */
class ReleaseImagesIT {

  @TempDir static Path dir;
  private static DistributionRegistry hub;

  private EngineHarness h;
  private RollgateApi recordOnly;
  private RollgateApi api;

  @BeforeAll
  static void registry() throws Exception {
    hub = DistributionRegistry.start(dir.resolve("hub"));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @BeforeEach
  void rollgate() {
    String health = "health: { interval: 1s, successThreshold: 2, deadline: 30s }";
    String manifest =
        """
        registries:
          "%1$s": { url: "%2$s" }
        apps:
          - name: shop
            image: %1$s/team/shop
            environments:
              staging:
                services:
                  - { name: api, target: { platform: memory, service: api-staging }, %3$s }
                  - name: web
                    image: %1$s/team/web
                    target: { platform: memory, service: web-staging }
                    %3$s
        """
            .formatted(hub.host(), hub.endpoint(), health);
    h = new EngineHarness(new InMemoryLedger(), manifest, null);
    var secrets = new EnvSecretResolver(Map.<String, String>of()::get);
    var registries = new RegistryApiDigestResolver(Duration.ofSeconds(5), 2, Duration.ofMillis(20));
    api =
        new RollgateApi(h.engine, secrets, Duration.ofMinutes(5), new BackupApi(null), registries);
    recordOnly = new RollgateApi(h.engine, secrets, Duration.ZERO, new BackupApi(null), registries);
  }

  /** rollgate's plain push of team/shop with a tag and a digest (as ECR or GHCR would send). */
  private static String push(String tag, int n, String id) {
    return "{\"repository\":\"%s/team/shop\",\"tag\":\"%s\",\"digest\":\"%s\",\"id\":\"%s\"}"
        .formatted(hub.host(), tag, Deployments.digest(n), id);
  }

  @Test
  void push_shouldReleaseTheOtherRepositoryAtThePushedTag_pinnedWhenThePushArrived()
      throws Exception {
    // GIVEN team/web:v1 on image A at the registry
    String a = hub.pushImage("team/web", "v1", "web release A");
    String b = hub.pushImage("team/web", "next", "web release B");
    // WHEN team/shop:v1 is pushed, and rollgate records it without rolling out yet
    FunctionResponse r = recordOnly.imagePushed(FunctionRequest.of(push("v1", 1, "e1")));
    assertEquals(202, r.status(), r.body());
    Deployment pending = h.latest("shop", "staging");
    assertEquals(Phase.PENDING, pending.phase(), pending.detail());
    assertEquals(a, pending.parts().get(1).image().digest());
    assertTrue(pending.detail().contains("matched by tag v1: web runs"), pending.detail());
    // AND web's tag moves to image B before the rollout
    hub.retag("team/web", "v1", b);
    h.reconcile();
    // THEN api ran the pushed digest, web the digest v1 named on arrival, both recorded
    Deployment done = h.latest("shop", "staging");
    assertEquals(Phase.SUCCEEDED, done.phase(), done.detail());
    ReleasePart web = done.parts().get(1);
    assertEquals(new ImageRef(hub.host(), "team/web", "v1", a), web.image());
    assertEquals(Deployments.digest(1), done.parts().get(0).image().digest());
    assertEquals(
        List.of(hub.host() + "/team/web@" + a),
        h.platform.history("web-staging").stream().map(ImageRef::pinned).toList());
    assertEquals(
        List.of(Deployments.digest(1)),
        h.platform.history("api-staging").stream().map(ImageRef::digest).toList());
  }

  @Test
  void push_shouldRefuseTheRelease_whenTheOtherRepositoryLacksThePushedTag() throws Exception {
    // GIVEN team/web has no tag v7
    hub.pushImage("team/web", "v1", "web release A");
    // WHEN team/shop:v7 is pushed
    FunctionResponse r = api.imagePushed(FunctionRequest.of(push("v7", 7, "e7")));
    // THEN the release is REFUSED naming the service and why, and nothing rolls out
    assertEquals(202, r.status(), r.body());
    Deployment refused = h.latest("shop", "staging");
    assertEquals(Phase.REFUSED, refused.phase());
    assertTrue(
        refused
            .detail()
            .startsWith(
                "apps[0].environments.staging.services[1].image: service web runs "
                    + hub.host()
                    + "/team/web at the pushed tag, but tag v7 of "
                    + hub.host()
                    + "/team/web does not exist"),
        refused.detail());
    assertTrue(h.platform.history("api-staging").isEmpty());
    assertTrue(h.platform.history("web-staging").isEmpty());
  }
}
