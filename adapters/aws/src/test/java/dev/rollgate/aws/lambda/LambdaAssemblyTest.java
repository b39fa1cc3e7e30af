package dev.rollgate.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaAssemblyTest {

  @TempDir Path dir;

  @Test
  void api_shouldExplainWithoutRepeatingIt_whenTheLedgerUrlIsNeitherJdbcNorASecret()
      throws IOException {
    // GIVEN a valid manifest, and ROLLGATE_LEDGER_URL mistyped as a libpq URL with its password
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "version: 1",
            "apps:",
            "  - name: shop",
            "    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop",
            "    environments:",
            "      staging:",
            "        deploy: on-push",
            "        target: { platform: ecs, cluster: c, service: s, container: app }",
            ""));
    LambdaAssembly assembly =
        new LambdaAssembly(
            Map.of(
                    "rollgate.manifest", manifest.toString(),
                    "rollgate.ledger-url", "postgresql://rollgate:hunter2@ledger.internal/rollgate",
                    "rollgate.aws.region", "us-east-1")
                ::get);

    // WHEN the first event needs the core
    IllegalStateException e = assertThrows(IllegalStateException.class, assembly::api);

    // THEN the message says what is expected, and the password appears nowhere in it
    assertTrue(e.getMessage().contains("neither a JDBC URL"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertFalse(assembly.isAssembled());
  }
}
