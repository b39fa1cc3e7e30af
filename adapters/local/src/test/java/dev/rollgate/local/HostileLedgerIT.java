package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.local.cli.HostCliAccess;
import dev.rollgate.local.demo.DemoStateAccess;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct edits of the ledger through the embedded server's port, tried from outside the running
 * local host as an attacker would: with no password, with an app database's credentials (what a
 * deployed release gets), and as the superuser, whose edits status and verify-ledger must report.
 */
class HostileLedgerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static Path home;
  private static LocalHost host;
  private static int pgPort;

  @BeforeAll
  static void start() throws Exception {
    home = dir.resolve("state");
    host =
        LocalHost.start(
            LocalHost.Settings.of("demo/rollgate.yaml", home.toString(), 0)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(5)));
    // The port an attacker on this machine finds: the fourth line of postmaster.pid.
    pgPort = Integer.parseInt(Files.readAllLines(home.resolve("pg/postmaster.pid")).get(3).trim());
    // A release that migrates its database as the app's own role.
    HttpResponse<String> pushed =
        post(
            "/imagePushed",
            "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"v2\",\"digest\":\"sha256:"
                + "ab".repeat(32)
                + "\"}");
    assertTrue(pushed.body().contains("SUCCEEDED"), pushed.body());
  }

  @AfterAll
  static void stop() {
    try {
      DemoStateAccess.stopRevisions(home);
    } finally {
      host.close();
    }
  }

  @Test
  void ledger_shouldRefuseTheConnection_whenTheAttackerHasNoPassword() {
    for (String user : List.of("postgres", "rollgate", "rollgate_owner", "shop_staging")) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> DriverManager.getConnection(url("rollgate", user, null)).close(),
              user);
      assertEquals("08004", e.getSQLState(), user + ": " + e.getMessage());
    }
  }

  @Test
  void ledger_shouldRefuseTheConnection_whenDeployedCodeUsesItsAppDatabaseCredentials()
      throws Exception {
    // GIVEN the credentials the resolver hands to shop/staging's release (they work there)
    String app = url("shop_staging", "shop_staging", password("shop_staging"));
    try (Connection c = DriverManager.getConnection(app);
        Statement s = c.createStatement()) {
      s.execute("select count(*) from orders");
    }

    // WHEN they are pointed at the ledger's database / THEN the server refuses
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(app.replace("/shop_staging?", "/rollgate?")).close());
    assertEquals("42501", e.getSQLState(), e.getMessage());
  }

  @Test
  void status_shouldNameTheTransition_whenTheSuperuserRewroteIt() throws Exception {
    // GIVEN an intact log
    JsonNode before = status();
    assertEquals("intact", before.path("ledger").path("chain").asText(), before.toString());
    assertEquals(0, HostCliAccess.run("verify-ledger", "--host", hostUrl()).exit());

    // WHEN someone holding the superuser's password rewrites a transition, triggers off
    long seq;
    try (Connection c =
            DriverManager.getConnection(url("rollgate", "postgres", password("postgres")));
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("select min(seq) from transitions where to_phase = 'MIGRATING'");
      rs.next();
      seq = rs.getLong(1);
      s.execute("alter table transitions disable trigger user");
      s.execute("update transitions set reason = 'approved by the board' where seq = " + seq);
      s.execute("alter table transitions enable trigger user");
    }

    // THEN status and verify-ledger name it
    String chain = status().path("ledger").path("chain").asText();
    assertTrue(chain.startsWith("broken at transition " + seq + ": "), chain);
    HostCliAccess.Run verify = HostCliAccess.run("verify-ledger", "--host", hostUrl());
    assertEquals(1, verify.exit(), verify.out() + verify.err());
    assertTrue(verify.out().contains("broken at transition " + seq), verify.out());
  }

  private static String url(String database, String user, String password) {
    return "jdbc:postgresql://localhost:"
        + pgPort
        + "/"
        + database
        + "?user="
        + user
        + (password == null ? "" : "&password=" + password);
  }

  /** What an attacker who could read the owner-only password file would have. */
  private static String password(String role) throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(home.resolve("pg.passwords"))) {
      p.load(r);
    }
    return p.getProperty(role);
  }

  private static String hostUrl() {
    return "http://127.0.0.1:" + host.port();
  }

  private static JsonNode status() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(hostUrl() + "/status")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(hostUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
