package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.assembly.Rollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.Settings;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The azure extension found by the one assembly: it contributes the {@code containerapps} platform
 * and its job runner, which check their settings at start, and builds no ARM client until one is
 * used.
 */
class AzureExtensionContainerAppsIT {

  @TempDir Path dir;

  private Map<String, String> settings(String target) throws Exception {
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "version: 1",
            "apps:",
            "  - name: shop",
            "    image: shopacr.azurecr.io/shop",
            "    environments:",
            "      staging:",
            "        target: " + target,
            "        migrations:",
            "          job: { command: [alembic], args: [upgrade, head] }",
            ""));
    Map<String, String> s = new HashMap<>();
    s.put("rollgate.manifest", manifest.toString());
    s.put("rollgate.ledger-url", TestPostgres.freshDatabaseUrl());
    // Nothing listens here: a client that connected at assembly would fail the test.
    s.put(AzureSettings.ENDPOINT, "https://127.0.0.1:9");
    return s;
  }

  @Test
  void assemble_shouldKnowContainerAppsAndItsJobs_whenTheManifestNamesThem() throws Exception {
    // GIVEN a manifest with a containerapps target and a job migration
    Map<String, String> s =
        settings(
            "{ platform: containerapps, subscription: 3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b,"
                + " resourceGroup: shop-rg, app: shop, job: shop-migrate }");

    // WHEN / THEN it assembles without calling ARM, and status answers
    try (Rollgate rollgate = RollgateAssembler.of(Settings.of(s::get)).assemble()) {
      assertEquals(200, rollgate.api().status(FunctionRequest.of("")).status());
    }
  }

  @Test
  void assemble_shouldNameThePaths_whenContainerAppsSettingsAreMissing() throws Exception {
    // GIVEN a containerapps target without resource group and without the migration job
    Map<String, String> s =
        settings(
            "{ platform: containerapps, subscription: 3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b, app: shop }");

    // WHEN
    ManifestException e =
        assertThrows(
            ManifestException.class, () -> RollgateAssembler.of(Settings.of(s::get)).assemble());

    // THEN
    assertTrue(e.getMessage().contains("staging.target.resourceGroup: missing"), e.getMessage());
    assertTrue(e.getMessage().contains("staging.target.job: missing"), e.getMessage());
  }
}
