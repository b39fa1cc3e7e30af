package dev.rollgate.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryPlatform;
import dev.rollgate.testing.ScriptedProbe;
import dev.rollgate.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one assembly every entry point uses: extensions contribute, settings choose. */
class RollgateAssemblerIT {

  private static final String MANIFEST =
      """
      version: 1
      apps:
        - name: shop
          image: registry.test/team/shop
          environments:
            staging:
              target: { platform: memory, service: shop-staging }
              health: { interval: 1ms, successThreshold: 1, failureThreshold: 1, deadline: 30s }
      """;

  @TempDir Path dir;

  /** An adapter that contributes the in-memory platform, and counts what it opened and closed. */
  static final class MemoryExtension implements RollgateExtension {
    final AtomicInteger closed = new AtomicInteger();
    Manifest seen;

    @Override
    public String name() {
      return "memory";
    }

    @Override
    public void beforeManifest(Contributions c) {
      c.closeOnExit(closed::incrementAndGet);
    }

    @Override
    public void withManifest(Manifest manifest, Contributions c) {
      seen = manifest;
      c.platform(new InMemoryPlatform());
    }
  }

  private Map<String, String> settings(String manifest) throws Exception {
    Path file = dir.resolve("rollgate.yaml");
    Files.writeString(file, manifest);
    Map<String, String> s = new HashMap<>();
    s.put("rollgate.manifest", file.toString());
    s.put("rollgate.ledger-url", TestPostgres.freshDatabaseUrl());
    return s;
  }

  private static RollgateAssembler assembler(Map<String, String> s, RollgateExtension... ext) {
    return RollgateAssembler.of(Settings.of(s::get))
        .extensions(List.of(ext))
        .probe(ScriptedProbe.alwaysHealthy());
  }

  @Test
  void assemble_shouldDeployAPush_whenAnExtensionContributesThePlatform() throws Exception {
    // GIVEN an extension contributing the platform the manifest names, and a ledger URL
    MemoryExtension memory = new MemoryExtension();
    // WHEN rollgate is assembled and a push arrives
    try (Rollgate rollgate = assembler(settings(MANIFEST), memory).assemble()) {
      FunctionResponse r =
          rollgate
              .api()
              .imagePushed(FunctionRequest.of(EngineHarness.push("shop", "v1", 1, "e1", null)));
      // THEN it is deployed, and the extension saw the manifest
      assertEquals(202, r.status(), r.body());
      assertTrue(r.body().contains("\"phase\":\"SUCCEEDED\""), r.body());
      assertEquals("shop", memory.seen.apps().get(0).name());
      assertEquals(0, memory.closed.get());
    }
    // AND closing rollgate closes what the extension opened
    assertEquals(1, memory.closed.get());
  }

  @Test
  void assemble_shouldCloseWhatWasOpenedAndNameThePlatform_whenNobodyContributesIt()
      throws Exception {
    // GIVEN an extension that opens something but contributes no platform
    AtomicInteger closed = new AtomicInteger();
    RollgateExtension opener =
        new RollgateExtension() {
          @Override
          public String name() {
            return "opener";
          }

          @Override
          public void beforeManifest(Contributions c) {
            c.closeOnExit(closed::incrementAndGet);
          }
        };
    // WHEN rollgate is assembled for a manifest naming platform 'memory'
    ManifestException e =
        assertThrows(
            ManifestException.class, () -> assembler(settings(MANIFEST), opener).assemble());
    // THEN the error names the platform, and what was opened is closed
    assertTrue(e.getMessage().contains("memory"), e.getMessage());
    assertEquals(1, closed.get());
  }

  @Test
  void assemble_shouldLeaveAnExtensionOut_whenItIsDisabled() throws Exception {
    // GIVEN the only platform's extension, disabled
    Map<String, String> s = settings(MANIFEST);
    s.put("rollgate.memory.enabled", "false");
    MemoryExtension memory = new MemoryExtension();
    // WHEN / THEN assembling fails on the platform nobody contributes, and the extension never ran
    assertThrows(ManifestException.class, () -> assembler(s, memory).assemble());
    assertEquals(null, memory.seen);
  }

  @Test
  void assemble_shouldNotRepeatTheValue_whenTheLedgerUrlIsNeitherJdbcNorAReference()
      throws Exception {
    // GIVEN a ledger URL typed as a libpq URL, password included
    Map<String, String> s = settings(MANIFEST);
    s.put("rollgate.ledger-url", "postgresql://rollgate:S3cretPassw0rd@db.internal/rollgate");
    // WHEN rollgate is assembled
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> assembler(s, new MemoryExtension()).assemble());
    // THEN the message says what is accepted, and never the value
    assertTrue(e.getMessage().contains("neither a JDBC URL"), e.getMessage());
    assertTrue(e.getMessage().contains("env:NAME"), e.getMessage());
    assertFalse(e.getMessage().contains("S3cretPassw0rd"), e.getMessage());
  }

  @Test
  void assemble_shouldReadTheLedgerUrl_whenItIsASecretReferencedByItsOwnUrl() throws Exception {
    // GIVEN the ledger URL as a reference whose name is the secret's https URL (as Key Vault's
    // versionless id, which infra/azure sets), and the extension that resolves that scheme
    Map<String, String> s = settings(MANIFEST);
    String jdbc = s.get("rollgate.ledger-url");
    s.put("rollgate.ledger-url", "vault:https://shop-kv.vault.example/secrets/ledger-url");
    List<SecretRef> asked = new java.util.ArrayList<>();
    RollgateExtension vault =
        new RollgateExtension() {
          @Override
          public String name() {
            return "vault";
          }

          @Override
          public void beforeManifest(Contributions c) {
            c.secretResolver(
                new SecretResolver() {
                  @Override
                  public Set<String> schemes() {
                    return Set.of("vault");
                  }

                  @Override
                  public Optional<String> resolve(SecretRef ref) {
                    asked.add(ref);
                    return Optional.of(jdbc);
                  }
                });
          }
        };
    // WHEN rollgate is assembled
    try (Rollgate rollgate = assembler(s, new MemoryExtension(), vault).assemble()) {
      // THEN the ledger is the one the secret holds, read by its full name
      assertEquals(
          "https://shop-kv.vault.example/secrets/ledger-url",
          asked.get(0).name(),
          asked.toString());
      FunctionResponse status = rollgate.api().status(FunctionRequest.of("{}"));
      assertEquals(200, status.status(), status.body());
      assertTrue(status.body().contains("intact"), status.body());
    }
  }

  @Test
  void assemble_shouldNameTheInstalledSchemes_whenTheBackupStoreSchemeIsUnknown() throws Exception {
    // GIVEN a backup store URL whose scheme no extension stores at
    Map<String, String> s = settings(MANIFEST);
    s.put("rollgate.backup-store", "gs://bucket/backups");
    RollgateExtension stores =
        new RollgateExtension() {
          @Override
          public String name() {
            return "stores";
          }

          @Override
          public void beforeManifest(Contributions c) {
            c.backupStoreScheme("s3", url -> null);
          }
        };
    // WHEN rollgate is assembled
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> assembler(s, new MemoryExtension(), stores).assemble());
    // THEN the message names the setting, the scheme and what is installed
    assertTrue(
        e.getMessage().startsWith("rollgate.backup-store: no installed adapter"), e.getMessage());
    assertTrue(
        e.getMessage().contains("'gs:'") && e.getMessage().contains("s3://"), e.getMessage());
  }

  @Test
  void assemble_shouldRefuse_whenTwoExtensionsClaimOnePlatformName() throws Exception {
    // GIVEN two extensions contributing platform 'memory'
    // WHEN / THEN assembling says which extension registered the second one
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                assembler(settings(MANIFEST), new MemoryExtension(), new MemoryExtension())
                    .assemble());
    assertTrue(e.getMessage().contains("extension 'memory'"), e.getMessage());
  }

  /** An adapter's resolver, as the AWS adapter registers aws-sm: the core never names it. */
  static final class VaultExtension implements RollgateExtension {
    @Override
    public String name() {
      return "vault";
    }

    @Override
    public void beforeManifest(Contributions c) {
      c.secretResolver(
          new SecretResolver() {
            @Override
            public Set<String> schemes() {
              return Set.of("vault");
            }

            @Override
            public Optional<String> resolve(SecretRef ref) {
              return Optional.of("from-vault");
            }
          });
    }
  }

  @Test
  void assemble_shouldRefuseAtStartWithoutEchoingThem_whenSecretFieldsHoldLiteralValues()
      throws Exception {
    // GIVEN literal values where secret references belong
    String yaml =
        EngineHarness.manifest(1)
            .replace("env:PROMOTE_TOKEN", "\"postgresql://u:LITERAL-ONE@db.internal/app\"")
            .replace("env:SHOP_DB", "\"env://root:LITERAL-TWO@db/shop\"");
    // WHEN rollgate is assembled
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () ->
                assembler(settings(yaml), new MemoryExtension(), new VaultExtension()).assemble());
    // THEN each is named by its path, with the known schemes, and no value is repeated
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage().contains("the value at promotion.token is not a secret reference"),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("the value at apps[0].environments.staging.migrations.flyway.database"),
        e.getMessage());
    assertTrue(e.getMessage().contains("(env, file, vault)"), e.getMessage());
    assertFalse(e.getMessage().contains("LITERAL"), e.getMessage());
  }

  @Test
  void assemble_shouldAccept_whenEveryReferenceHasARegisteredScheme() throws Exception {
    // GIVEN references read by env and by an adapter's resolver
    String yaml = EngineHarness.manifest(1).replace("env:PROMOTE_TOKEN", "vault:promote");
    // WHEN / THEN rollgate assembles
    assembler(settings(yaml), new MemoryExtension(), new VaultExtension()).assemble().close();
  }

  private static final String FLYWAY_FROM =
      MANIFEST + "        migrations: { flyway: { locations: [\"%s\"], database: env:SHOP_DB } }\n";

  /** An adapter that reads Flyway locations of {@code gs:}, as the AWS adapter does for s3:. */
  static final class GsExtension implements RollgateExtension {
    @Override
    public String name() {
      return "gs";
    }

    @Override
    public void beforeManifest(Contributions c) {
      c.flywayLocationScheme("gs");
    }
  }

  @Test
  void assemble_shouldNameTheInstalledSchemes_whenNoAdapterReadsAFlywayLocationsScheme()
      throws Exception {
    // GIVEN a gs: location and no adapter that registers gs
    String yaml = FLYWAY_FROM.formatted("gs:bucket/migrations/{tag}");

    // WHEN
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () -> assembler(settings(yaml), new MemoryExtension()).assemble());

    // THEN
    assertEquals(
        List.of(
            "apps[0].environments.staging.migrations.flyway.locations[0]: no installed adapter"
                + " reads 'gs:' locations; installed: [classpath:, filesystem:]"),
        e.problems());
  }

  @Test
  void assemble_shouldAcceptALocation_whenAnAdapterRegisteredItsScheme() throws Exception {
    // GIVEN / WHEN / THEN
    String yaml = FLYWAY_FROM.formatted("gs:bucket/migrations/{tag}");
    assembler(settings(yaml), new MemoryExtension(), new GsExtension()).assemble().close();
  }
}
