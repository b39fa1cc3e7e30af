package dev.rollgate.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.local.LocalHost;
import dev.rollgate.local.demo.DemoStateAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/rollgate backup | verify-backup | status} against a real local host. */
class HostCliIT {

  @TempDir Path home;

  private static HostCliAccess.Run cli(String... args) {
    return HostCliAccess.run(args);
  }

  @Test
  void backupAndVerify_shouldExit0ThenExit1_whenTheBackupIsTamperedWith() throws Exception {
    try (LocalHost host =
        LocalHost.start(
            LocalHost.Settings.of("demo/rollgate.yaml", home.resolve("state").toString(), 0)
                .withTimings(
                    Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(5)))) {
      String url = "http://127.0.0.1:" + host.port();
      try {
        // GIVEN v2 (with its demo orders) deployed to staging
        HttpResponse<String> pushed =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(url + "/imagePushed"))
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"v2\","
                                    + "\"digest\":\"sha256:"
                                    + "cd".repeat(32)
                                    + "\"}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertTrue(pushed.body().contains("SUCCEEDED"), pushed.body());
        // WHEN a backup is taken and verified through the CLI
        HostCliAccess.Run backup =
            cli("backup", "--app", "shop", "--env", "staging", "--host", url);
        assertEquals(0, backup.exit(), backup.err());
        assertTrue(backup.out().contains("2000 rows"), backup.out());
        HostCliAccess.Run verified =
            cli("verify-backup", "--app", "shop", "--env", "staging", "--host", url);
        // THEN it says verified, with its checks
        assertEquals(0, verified.exit(), verified.out() + verified.err());
        assertTrue(verified.out().contains("verified"), verified.out());
        assertTrue(verified.out().contains("ok"), verified.out());
        // AND once a file is altered, verify-backup exits 1 naming the file
        DemoStateAccess.alterNewestBackup(home.resolve("state"));
        HostCliAccess.Run refused =
            cli("verify-backup", "--app", "shop", "--env", "staging", "--host", url);
        assertEquals(1, refused.exit(), refused.out());
        assertTrue(refused.out().contains("corrupted"), refused.out());
        HostCliAccess.Run status = cli("status", "--host", url);
        assertEquals(0, status.exit());
        assertTrue(status.out().contains("\"backups\""), status.out());
      } finally {
        DemoStateAccess.stopRevisions(home.resolve("state"));
      }
    }
  }

  @Test
  void cli_shouldSayHowToStartAHost_whenNoneAnswers() {
    HostCliAccess.Run r = cli("status", "--host", "http://127.0.0.1:9");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no local host answers at http://127.0.0.1:9"), r.err());
    HostCliAccess.Run usage = cli("backup", "--app", "shop");
    assertEquals(2, usage.exit());
    assertTrue(usage.err().contains("name --app and --env"), usage.err());
  }
}
