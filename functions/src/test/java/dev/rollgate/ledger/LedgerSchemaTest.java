package dev.rollgate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LedgerSchemaTest {

  @Test
  void newestMigration_shouldBeTheHighestVersionShipped_whenAMigrationIsAdded() throws IOException {
    // GIVEN the ledger's migrations as built
    int newest;
    try (Stream<Path> files = Files.list(Path.of("target", "classes", "db", "rollgate"))) {
      newest =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches("V\\d+__.*\\.sql"))
              .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
              .max()
              .orElse(0);
    }
    // WHEN / THEN the constant that spares a cold start Flyway's scan names the newest
    assertEquals(newest, LedgerSchema.NEWEST_MIGRATION);
  }
}
