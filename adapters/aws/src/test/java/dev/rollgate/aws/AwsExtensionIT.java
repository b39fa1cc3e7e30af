package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.assembly.Rollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.assembly.Settings;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS adapter found by the one assembly as every entry point finds it (ServiceLoader): it
 * contributes the {@code ecs} platform, {@code aws-sm:} secrets and {@code s3://} backup stores,
 * and builds no SDK client until one is used.
 */
class AwsExtensionIT {

  @TempDir Path dir;

  private Map<String, String> settings() throws Exception {
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "version: 1",
            "promotion: { token: aws-sm:rollgate/promote }",
            "apps:",
            "  - name: shop",
            "    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop",
            "    environments:",
            "      staging:",
            "        target: { platform: ecs, cluster: c, service: s, container: app }",
            ""));
    Map<String, String> s = new HashMap<>();
    s.put("rollgate.manifest", manifest.toString());
    s.put("rollgate.ledger-url", TestPostgres.freshDatabaseUrl());
    s.put("rollgate.aws.region", "eu-west-1");
    // Nothing listens here: a client that connected at assembly would fail the test.
    s.put("rollgate.aws.endpoint", "http://127.0.0.1:9");
    return s;
  }

  @Test
  void assemble_shouldUseTheInstalledAwsExtension_whenTheManifestNamesEcs() throws Exception {
    // GIVEN the extensions ServiceLoader finds on this module's class path
    List<RollgateExtension> installed = RollgateAssembler.installed();
    assertTrue(installed.stream().anyMatch(e -> e instanceof AwsExtension), installed.toString());
    Map<String, String> s = settings();
    s.put("rollgate.backup-store", "s3://backups/rollgate");
    // WHEN rollgate is assembled for a manifest with an ecs target and an S3 backup store
    try (Rollgate rollgate = RollgateAssembler.of(Settings.of(s::get)).assemble()) {
      // THEN it assembled (ecs known, store built) without calling AWS, and status answers
      assertNotNull(rollgate.backups());
      assertEquals(200, rollgate.api().status(FunctionRequest.of("")).status());
    }
  }

  @Test
  void assemble_shouldNameEcs_whenTheAwsExtensionIsDisabled() throws Exception {
    // GIVEN the AWS extension turned off
    Map<String, String> s = settings();
    s.put("rollgate.aws.enabled", "false");
    // WHEN / THEN the manifest's ecs target has no platform, and the error says so
    ManifestException e =
        assertThrows(
            ManifestException.class, () -> RollgateAssembler.of(Settings.of(s::get)).assemble());
    assertTrue(e.getMessage().contains("ecs"), e.getMessage());
  }
}
