package dev.rollgate.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.core.backup.BackupService;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.FakeSnapshotter;
import dev.rollgate.testing.InMemoryBackupCatalog;
import dev.rollgate.testing.InMemoryLedger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BackupApiTest {

  private static final String MANIFEST =
      """
apps:
  - name: shop
    image: localhost:5000/demo/shop
    environments:
      staging:
        target: { platform: local, service: shop-staging, command: run }
        migrations:
          flyway: { locations: ["filesystem:releases/{tag}/migrations"], database: env:SHOP_DB }
        backup: { schedule: every 6h, rpo: 24h }
""";

  private static final List<String> NOT_OBJECTS =
      List.of("[1,2]", "[]", "\"shop\"", "42", "true", "null");

  private final FakeClock clock = new FakeClock();
  private final InMemoryLedger ledger = new InMemoryLedger();
  private final FakeSnapshotter snapshotter = new FakeSnapshotter(clock);
  private final BackupApi api =
      new BackupApi(
          new BackupService(
              ManifestLoader.parse(MANIFEST, "rollgate.yaml", Path.of("/srv/demo")),
              ledger,
              new EnvSecretResolver(Map.of("SHOP_DB", "jdbc:postgresql://db/shop")::get),
              snapshotter,
              snapshotter.inspector(),
              new InMemoryBackupCatalog(),
              new Notifier() {
                @Override
                public void notify(Deployment d, String message) {}

                @Override
                public void alert(String app, String environment, String subject, String m) {}
              },
              clock));

  /** v1 deployed, no backup yet: a scheduled run would take one. */
  private void deployedAndDue() {
    ledger.record(
        "push-v1",
        "test",
        clock.now(),
        List.of(Deployments.aDeployment().phase(Phase.SUCCEEDED).schemaVersion("1").build()));
  }

  private void assertRefusedNamingTheRoot(Function<FunctionRequest, FunctionResponse> function)
      throws Exception {
    for (String body : NOT_OBJECTS) {
      // WHEN the body is JSON but not an object
      FunctionResponse r = function.apply(FunctionRequest.of(body));

      // THEN it is refused with 400 naming $, and nothing ran (no scheduled run either)
      assertEquals(400, r.status(), body + " -> " + r.body());
      JsonNode json = Json.MAPPER.readTree(r.body());
      assertEquals("$: expected a JSON object", json.path("error").asText(), body);
      assertEquals("malformed", json.path("reason").asText(), body);
    }
    assertEquals(List.of(), snapshotter.requests());
    assertEquals(List.of(), snapshotter.restored());
  }

  @Test
  void backup_shouldRefuseWith400NamingTheRoot_whenTheBodyIsNotAnObject() throws Exception {
    // GIVEN a backup that is due
    deployedAndDue();
    // WHEN / THEN
    assertRefusedNamingTheRoot(api::backup);
  }

  @Test
  void verifyBackup_shouldRefuseWith400NamingTheRoot_whenTheBodyIsNotAnObject() throws Exception {
    // GIVEN a backup that is due for verification
    deployedAndDue();
    api.backup(FunctionRequest.of("{\"app\":\"shop\",\"environment\":\"staging\"}"));
    snapshotter.requests().clear();
    // WHEN / THEN
    assertRefusedNamingTheRoot(api::verifyBackup);
  }

  @Test
  void backup_shouldRefuseNamingTheField_whenAppOrEnvironmentIsNotAString() throws Exception {
    // GIVEN a backup that is due
    deployedAndDue();

    // WHEN app is an object and environment a number
    FunctionResponse app =
        api.backup(FunctionRequest.of("{\"app\":{\"name\":\"shop\"},\"environment\":\"staging\"}"));
    FunctionResponse env = api.backup(FunctionRequest.of("{\"app\":\"shop\",\"environment\":7}"));

    // THEN each is refused naming the field, and nothing ran
    assertEquals(400, app.status(), app.body());
    assertTrue(app.body().contains("$.app: expected a string"), app.body());
    assertEquals(400, env.status(), env.body());
    assertTrue(env.body().contains("$.environment: expected a string"), env.body());
    assertEquals(List.of(), snapshotter.requests());
  }

  @Test
  void backup_shouldRunWhatIsDue_whenTheBodyIsEmptyOrAnEmptyObject() throws Exception {
    // GIVEN a backup that is due
    deployedAndDue();

    // WHEN the schedule calls with an empty body, then with {}
    FunctionResponse empty = api.backup(FunctionRequest.of(""));
    clock.advance(java.time.Duration.ofHours(7));
    FunctionResponse object = api.backup(FunctionRequest.of("{}"));

    // THEN both ran the due backup
    assertEquals(200, empty.status(), empty.body());
    assertEquals(200, object.status(), object.body());
    assertEquals(2, snapshotter.requests().size());
  }
}
