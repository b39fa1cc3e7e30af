package dev.rollgate.gcp.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.functions.invoker.runner.Invoker;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.gcp.bench.BenchJars;
import dev.rollgate.gcp.bench.BenchWorld;
import dev.rollgate.gcp.functions.GcpInvokeLauncher.Result;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The packaged artifact ({@code scripts/package gcp}'s jar, alone on the function's class path) in
 * a fresh JVM under the Functions Framework's invoker jar, as Cloud Functions runs it, through
 * {@link GcpInvokeLauncher} (what {@code scripts/rollgate invoke gcp} runs), against rollgate's
 * Cloud Run fake on a port, set up with CreateService and CreateJob: an Eventarc push runs the
 * Cloud Run Job migration and rolls out a revision named for the deployment, the same push again is
 * a duplicate, and status answers over HTTP.
 */
class GcpArtifactIT {

  @Test
  void invoke_shouldDeployOnceAndAnswer_whenTheArtifactRunsUnderTheInvokerJar(@TempDir Path dir)
      throws Exception {
    // GIVEN the artifact, the invoker jar, a ledger, a Cloud Run service and a migration job
    Path artifact;
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      artifact =
          s.filter(p -> p.toString().endsWith("-cloudfunctions.jar")).findFirst().orElseThrow();
    }
    assertTrue(BenchJars.hasCloudRunPlatform(artifact), artifact + " has no Cloud Run platform");
    String classpath = artifact.toString();
    String invoker =
        Path.of(Invoker.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    DataSource db = TestPostgres.freshDatabase();
    JdbcLedger ledger = JdbcLedger.migrateAndOpen(db);
    String ledgerUrl = TestPostgres.jdbcUrl(((PGSimpleDataSource) db).getDatabaseName());
    try (BenchWorld world = BenchWorld.start(Path.of("../.."), dir, true)) {
      Map<String, String> env = world.rollgateEnv(ledgerUrl);
      String digest = "sha256:" + "a1b2c3d4e5f60718".repeat(4);
      byte[] push = world.push(digest, "artifact-it-" + System.nanoTime());

      // WHEN Eventarc's push reaches imagePushed (cloudevent signature) in a new JVM
      Result pushed = invoke(invoker, classpath, "imagePushed", push, env);

      // THEN acknowledged; staging SUCCEEDED after its migration; Cloud Run serves the digest
      // through the revision named for the deployment, and only through it
      assertEquals("cloudevent", pushed.signature());
      assertEquals(200, pushed.status(), pushed.body());
      List<Deployment> deployed = ledger.deployments("shop", "staging", 10);
      assertEquals(1, deployed.size(), deployed.toString());
      Deployment d = deployed.get(0);
      assertEquals(Phase.SUCCEEDED, d.phase(), d.toString());
      assertEquals("rollgate-shop-" + d.id(), d.revision());
      assertEquals(d.revision(), world.servingRevision(BenchWorld.ROLLGATE_SERVICE));
      assertEquals(BenchWorld.IMAGE + "@" + digest, world.image(BenchWorld.ROLLGATE_SERVICE));
      assertEquals(
          1,
          world.executions(BenchWorld.MIGRATION_JOB).size(),
          "one migration execution: " + world.executions(BenchWorld.MIGRATION_JOB));

      // WHEN the same event is delivered again to a new instance
      Result again = invoke(invoker, classpath, "imagePushed", push, env);

      // THEN acknowledged (a duplicate): still one deployment, one revision, one execution
      assertEquals(200, again.status(), again.body());
      assertEquals(1, ledger.deployments("shop", "staging", 10).size());
      assertEquals(d.revision(), world.servingRevision(BenchWorld.ROLLGATE_SERVICE));
      assertEquals(1, world.executions(BenchWorld.MIGRATION_JOB).size());

      // WHEN status is asked over HTTP
      Result status =
          invoke(invoker, classpath, "status", "{}".getBytes(StandardCharsets.UTF_8), env);

      // THEN 200 with staging serving the digest on that revision
      assertEquals("http", status.signature());
      assertEquals(200, status.status(), status.body());
      assertTrue(status.body().contains(digest), status.body());
      assertTrue(status.body().contains(d.revision()), status.body());
    }
  }

  private static Result invoke(
      String invoker, String classpath, String function, byte[] event, Map<String, String> env)
      throws Exception {
    return GcpInvokeLauncher.invoke(
        invoker,
        classpath,
        RollgateFunction.ENTRY_POINT,
        function,
        event,
        "/",
        env,
        ProcessBuilder.Redirect.INHERIT);
  }
}
