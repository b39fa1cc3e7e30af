package dev.rollgate.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * {@code scripts/rollgate dora} against a real local host over HTTP: the demo's v1 and v2 succeed
 * in staging, v3 (whose health says DOWN) fails and is rolled back.
 */
class DoraCliIT {

  @TempDir Path home;

  private static HttpResponse<String> push(String url, String tag, String digestByte)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url + "/imagePushed"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\""
                            + tag
                            + "\",\"digest\":\"sha256:"
                            + digestByte.repeat(32)
                            + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void dora_shouldPrintTheFiguresAsATableAndAsJson_whenDeploymentsSucceededAndFailed()
      throws Exception {
    try (LocalHost host =
        LocalHost.start(
            LocalHost.Settings.of("demo/rollgate.yaml", home.resolve("state").toString(), 0)
                .withTimings(
                    Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(5)))) {
      String url = "http://127.0.0.1:" + host.port();
      try {
        // GIVEN v1 and v2 deployed to staging, then v3 failed and rolled back
        assertTrue(push(url, "v1", "a1").body().contains("SUCCEEDED"));
        assertTrue(push(url, "v2", "b2").body().contains("SUCCEEDED"));
        String failed = push(url, "v3", "c3").body();
        assertTrue(failed.contains("ROLLED_BACK"), failed);

        // WHEN the figures are asked for as JSON
        HostCliAccess.Run json =
            HostCliAccess.run(
                "dora", "--app", "shop", "--env", "staging", "--since", "1d", "--json", "--host",
                url);
        // THEN three deployments, one failed, one incident restored
        assertEquals(0, json.exit(), json.err());
        System.out.print(json.out());
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertEquals(1, rows.size(), json.out());
        JsonNode staging = rows.get(0);
        assertEquals("shop", staging.path("app").asText());
        assertEquals("staging", staging.path("environment").asText());
        assertEquals(3, staging.path("deployments").asInt(), json.out());
        assertEquals(2, staging.path("succeeded").asInt(), json.out());
        assertEquals(1, staging.path("failed").asInt(), json.out());
        assertEquals(0.3333, staging.path("changeFailureRate").asDouble(), json.out());
        assertEquals(2.0, staging.path("deploymentsPerDay").asDouble(), json.out());
        assertTrue(staging.path("leadTimeMedianSeconds").asDouble() > 0, json.out());
        assertEquals(1, staging.path("restores").asInt(), json.out());
        assertTrue(staging.path("timeToRestoreMedianSeconds").asDouble() > 0, json.out());
        assertTrue(staging.path("failingSince").isNull(), json.out());

        // WHEN asked for the table of every environment
        HostCliAccess.Run table = HostCliAccess.run("dora", "--since", "1d", "--host", url);
        // THEN one row per environment, staging's with its figures, production's empty
        assertEquals(0, table.exit(), table.err());
        System.out.print(table.out()); // kept in the failsafe report: docs/dora.md quotes it
        String[] lines = table.out().split("\n");
        assertEquals(5, lines.length, table.out());
        assertTrue(lines[1].startsWith("APP"), table.out());
        assertTrue(
            lines[2].matches("shop +staging +3 +2 +33\\.33% +\\S+ +1 +\\S+ +-"), table.out());
        assertTrue(lines[3].matches("shop +production +0 +0 +- +- +0 +- +-"), table.out());
        assertTrue(lines[4].matches("store +staging +0 +0 +- +- +0 +- +-"), table.out());

        // AND a filter that matches nothing, or a window that is not one, exits 2 saying why
        HostCliAccess.Run none = HostCliAccess.run("dora", "--app", "cart", "--host", url);
        assertEquals(2, none.exit());
        assertEquals(
            "rollgate dora: no environment matches --app cart; the host has shop/staging,"
                + " shop/production, store/staging\n",
            none.err());
        HostCliAccess.Run bad = HostCliAccess.run("dora", "--since", "a week", "--host", url);
        assertEquals(2, bad.exit());
        assertTrue(
            bad.err().contains("?since: expected a duration back from now like 30d"), bad.err());
      } finally {
        DemoStateAccess.stopRevisions(home.resolve("state"));
      }
    }
  }
}
