package dev.rollgate.spring;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.FakeMigrationRunner;
import dev.rollgate.testing.InMemoryLedger;
import dev.rollgate.testing.InMemoryPlatform;
import dev.rollgate.testing.ScriptedProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RollgateAssemblyTest {

  /** An adapter's resolver, as the AWS adapter registers aws-sm: the core never names it. */
  private static final SecretResolver VAULT =
      new SecretResolver() {
        @Override
        public Set<String> schemes() {
          return Set.of("vault");
        }

        @Override
        public Optional<String> resolve(SecretRef ref) {
          return Optional.of("from-vault");
        }
      };

  private static void assemble(String manifestYaml) {
    Manifest manifest = ManifestLoader.parse(manifestYaml, "rollgate.yaml", Path.of("/tmp"));
    RollgateAssembly.api(
        manifest,
        new InMemoryLedger(),
        List.of(new InMemoryPlatform()),
        List.of(new FakeMigrationRunner()),
        RollgateAssembly.secrets(List.of(VAULT)),
        new BackupApi(null),
        new ScriptedProbe(url -> true),
        (d, message) -> {},
        new FakeClock(),
        EngineSettings.defaults(),
        Duration.ofMinutes(1));
  }

  @Test
  void api_shouldRefuseAtStartWithoutEchoingThem_whenSecretFieldsHoldLiteralValues() {
    // GIVEN literal values where secret references belong
    String yaml =
        EngineHarness.manifest(1)
            .replace("env:PROMOTE_TOKEN", "\"postgresql://u:LITERAL-ONE@db.internal/app\"")
            .replace("env:SHOP_DB", "\"env://root:LITERAL-TWO@db/shop\"");
    // WHEN the functions are assembled
    ManifestException e = assertThrows(ManifestException.class, () -> assemble(yaml));
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
  void api_shouldAccept_whenEveryReferenceHasARegisteredScheme() {
    // GIVEN references read by env and by an adapter's resolver WHEN assembled THEN accepted
    assertDoesNotThrow(
        () -> assemble(EngineHarness.manifest(1).replace("env:PROMOTE_TOKEN", "vault:promote")));
  }
}
