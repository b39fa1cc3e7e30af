package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.azure.functions.AzureInvokeLauncher;
import dev.rollgate.azure.functions.AzureInvokeLauncher.Http;
import dev.rollgate.azure.functions.AzureInvokeLauncher.Result;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.testing.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The packaged Function App ({@code scripts/package azure}'s zip, unpacked as zip deploy does) in a
 * fresh JVM through {@link AzureInvokeLauncher} (what {@code scripts/rollgate invoke azure} runs:
 * the function's {@code function.json} read, the worker stand-in calling its entry point), with
 * only the environment a Function App would have, against the ARM fake on a port: an Event Grid
 * delivery of an ACR push runs the job migration and rolls out a revision named for the deployment,
 * the same delivery again is a duplicate, status answers over HTTP, and an unknown function is
 * refused naming the ones there are.
 */
class AzureArtifactIT {

  @Test
  void invoke_shouldDeployOnceAndAnswer_whenThePackagedFunctionAppRunsInANewJvm(@TempDir Path dir)
      throws Exception {
    // GIVEN the unpacked artifact, a ledger, an app and a migration job on the fake, a health URL
    Path app = unpack(dir.resolve("wwwroot"));
    String worker = localWorkerJar() + File.pathSeparator + coreLibraryJar();
    DataSource db = TestPostgres.freshDatabase();
    JdbcLedger ledger = JdbcLedger.migrateAndOpen(db);
    String ledgerUrl = TestPostgres.jdbcUrl(((PGSimpleDataSource) db).getDatabaseName());
    HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    health.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    health.start();
    try (ContainerAppsFakeHarness arm = new ContainerAppsFakeHarness()) {
      String appName = ContainerAppsFakeHarness.fresh("artifact");
      String job = ContainerAppsFakeHarness.fresh("artifact-migrate");
      arm.createPlaceholderApp(appName, "Multiple");
      arm.createJob(job, List.of("alembic"));
      Path manifest = dir.resolve("rollgate.yaml");
      Files.writeString(
          manifest,
          String.join(
              "\n",
              "version: 1",
              "apps:",
              "  - name: shop",
              "    image: jolovcr.azurecr.io/samples/nginx",
              "    environments:",
              "      staging:",
              "        target:",
              "          platform: containerapps",
              "          subscription: " + ContainerAppsFakeHarness.SUBSCRIPTION,
              "          resourceGroup: " + ContainerAppsFakeHarness.GROUP,
              "          app: " + appName,
              "          job: " + job,
              "          url: http://127.0.0.1:" + health.getAddress().getPort(),
              "        migrations:",
              "          job: { command: [alembic], args: [upgrade, head] }",
              "        health: { url: '{url}/health', interval: 1s, successThreshold: 1,"
                  + " failureThreshold: 2, deadline: 60s }",
              ""));
      Map<String, String> env = new HashMap<>();
      env.put("ROLLGATE_MANIFEST", manifest.toString());
      env.put("ROLLGATE_LEDGER_URL", ledgerUrl);
      env.put("ROLLGATE_AZURE_ENDPOINT", arm.fake.endpoint());
      env.put("ROLLGATE_AZURE_TRUST_CERTIFICATE", arm.fake.certificate().toString());
      env.put("ROLLGATE_AZURE_OPERATION_POLL", "PT0.2S");
      String digest = "sha256:" + "a2b3c4d5e6f70819".repeat(4);
      byte[] delivery = eventGridDelivery(digest);

      // WHEN Event Grid delivers the push (an array of one event) to imagePushed in a new JVM
      Result pushed = invoke(app, worker, "imagePushed", delivery, env);

      // THEN acknowledged; staging SUCCEEDED after one migration execution; the app serves the
      // digest through the revision named for the deployment, with all the traffic
      assertEquals(0, pushed.exit(), pushed.lines().toString());
      assertEquals(1, pushed.lines().size(), pushed.lines().toString());
      assertTrue(pushed.lines().get(0).contains("\"status\":\"Succeeded\""), pushed.toString());
      List<Deployment> deployed = ledger.deployments("shop", "staging", 10);
      assertEquals(1, deployed.size(), deployed.toString());
      Deployment d = deployed.get(0);
      assertEquals(Phase.SUCCEEDED, d.phase(), d.toString());
      assertEquals(RevisionSuffixes.revisionName(appName, d.id()), d.revision());
      JsonNode traffic =
          arm.fake
              .app(ContainerAppsFakeHarness.SUBSCRIPTION, ContainerAppsFakeHarness.GROUP, appName)
              .path("properties")
              .path("configuration")
              .path("ingress")
              .path("traffic");
      assertEquals(1, traffic.size(), traffic.toString());
      assertEquals(d.revision(), traffic.get(0).path("revisionName").asText());
      assertEquals(100, traffic.get(0).path("weight").asInt());
      assertEquals(1, arm.executions(job, d.id()), "one migration execution");

      // WHEN the same delivery reaches a new instance
      Result again = invoke(app, worker, "imagePushed", delivery, env);

      // THEN acknowledged as a duplicate: still one deployment, one execution
      assertEquals(0, again.exit(), again.lines().toString());
      assertEquals(1, ledger.deployments("shop", "staging", 10).size());
      assertEquals(1, arm.executions(job, d.id()));

      // WHEN status is asked over HTTP
      Result status = invoke(app, worker, "status", "{}".getBytes(StandardCharsets.UTF_8), env);

      // THEN its body names the revision and digest staging serves
      assertEquals(0, status.exit(), status.lines().toString());
      String body = String.join("\n", status.lines());
      assertTrue(body.contains(d.revision()) && body.contains(digest), body);
      assertTrue(body.contains("\"target\":\"containerapps:" + appName + "\""), body);
    } finally {
      health.stop(0);
    }
  }

  @Test
  void invoke_shouldNameTheFunctions_whenAskedForOneTheAppDoesNotHave(@TempDir Path dir)
      throws Exception {
    Path app = unpack(dir.resolve("wwwroot"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> invoke(app, "unused", "imagePushd", new byte[0], Map.of()));
    assertTrue(
        e.getMessage()
            .contains(
                "abort, backup, imagePushed, imagePushedHttp, plan, promote, reconcile, status,"
                    + " verifyBackup, webhook"),
        e.getMessage());
  }

  private static Result invoke(
      Path app, String worker, String function, byte[] event, Map<String, String> env)
      throws Exception {
    return AzureInvokeLauncher.invoke(
        app, worker, function, event, Http.DEFAULT, env, ProcessBuilder.Redirect.INHERIT);
  }

  /** ACR's ImagePushed sample at {@code digest}, as the array Event Grid delivers. */
  private static byte[] eventGridDelivery(String digest) throws IOException {
    String sample =
        Files.readString(Path.of("../../events/fixtures/azure-eventgrid-acr-image-pushed.json"))
            .replace(
                "sha256:57a94fc99816c6aa225678b738ac40d85422e75dbb96115f1bb9b6ed77176166", digest)
            .replace("c25fdb80-ebbd-4dd0-a29c-a7349e6388f6", "artifact-" + System.nanoTime());
    return ("[" + sample + "]").getBytes(StandardCharsets.UTF_8);
  }

  /** The zip in target/, unpacked as zip deploy unpacks it into wwwroot. */
  private static Path unpack(Path wwwroot) throws IOException {
    Path zip = target("-azurefunctions.zip");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path out = wwwroot.resolve(e.getName()).normalize();
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(in, out);
        }
      }
    }
    return wwwroot;
  }

  private static String localWorkerJar() throws IOException {
    return target("-localworker.jar").toString();
  }

  private static String coreLibraryJar() throws Exception {
    return Path.of(
            ExecutionContext.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  private static Path target(String suffix) throws IOException {
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      return s.filter(p -> p.toString().endsWith(suffix))
          .findFirst()
          .orElseThrow(() -> new IOException("no target/*" + suffix + ": run mvn package"));
    }
  }
}
