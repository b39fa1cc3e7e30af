package dev.rollgate.azure.bench;

import dev.rollgate.azure.functions.AzureInvokeLauncher;
import dev.rollgate.azure.functions.AzureInvokeLauncher.Http;
import dev.rollgate.azure.functions.AzureInvokeLauncher.Result;
import dev.rollgate.bench.ColdStarts;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.ledger.JdbcLedger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code scripts/bench cold-start azure}: whole-process cold starts of rollgate's Azure Functions
 * artifact (the zip of {@code scripts/package azure}, unpacked as zip deploy unpacks it) and of
 * {@link PlainPushFunction} (a Function App of its own, {@link BenchApps}), each run in a new JVM
 * by the worker stand-in through {@link AzureInvokeLauncher} (as {@code scripts/rollgate invoke
 * azure} runs it), each handling one ACR push from Event Grid against the same ARM fake ({@link
 * BenchWorld}; no migration on either side), timed from the fork to the function's answer (what the
 * first event of a new instance waits for). Every run must deploy: rollgate's deployment SUCCEEDED
 * with the digest and the fake's app serves it; the plain app serves its digest. Prints each run,
 * the medians and, last, {@code cold-start-azure: rollgate=<ms> plain=<ms> ratio=<r/p>
 * artifact=<MB>}. Properties: {@code bench.root}, {@code bench.runs} (default 7), {@code
 * bench.jvm-flags} (JAVA_TOOL_OPTIONS of both sides), {@code bench.worker} (the worker stand-in's
 * class path: its jar and azure-functions-java-core-library), {@code bench.classpath} (the module's
 * runtime class path file).
 */
public final class ColdStartBench {

  private ColdStartBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int runs = Integer.getInteger("bench.runs", 7);
    String flags =
        System.getProperty("bench.jvm-flags", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    String worker = System.getProperty("bench.worker");
    Path azure = root.resolve("adapters/azure");
    Path artifact;
    try (Stream<Path> s = Files.list(azure.resolve("target"))) {
      artifact =
          s.filter(p -> p.getFileName().toString().endsWith("-azurefunctions.zip"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no adapters/azure/target/*-azurefunctions.zip: run scripts/package"
                              + " azure"));
    }
    Path work = Files.createDirectories(azure.resolve("target/bench-cold-start-azure"));
    Path rollgateApp = BenchApps.unpack(artifact, work.resolve("rollgate-app"));
    Path plainApp =
        BenchApps.plain(
            azure.resolve("target/test-classes"),
            Path.of(System.getProperty("bench.classpath")),
            rollgateApp.resolve("host.json"),
            work.resolve("plain-app"));

    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        BenchWorld world = BenchWorld.start(root, work)) {
      JdbcLedger ledger = JdbcLedger.migrateAndOpen(pg.getPostgresDatabase());
      String ledgerUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";
      Map<String, String> rollgateEnv = world.rollgateEnv(ledgerUrl);
      rollgateEnv.put("JAVA_TOOL_OPTIONS", flags);
      Map<String, String> plainEnv = world.plainEnv();
      plainEnv.put("JAVA_TOOL_OPTIONS", flags);
      System.out.printf("JVM flags for both sides: JAVA_TOOL_OPTIONS=%s%n", flags);
      // Each side's output, every run appended (what a failed run said).
      Path rollgateLog = work.resolve("rollgate.log");
      Path plainLog = work.resolve("plain.log");
      Files.deleteIfExists(rollgateLog);
      Files.deleteIfExists(plainLog);
      ColdStarts.measure(
          "cold-start-azure",
          runs,
          artifact,
          i -> {
            String digest = "sha256:%064x".formatted(1000L + 2L * i);
            Result r =
                AzureInvokeLauncher.invoke(
                    rollgateApp,
                    worker,
                    "imagePushed",
                    world.push(digest, "bench-rollgate-" + System.nanoTime()),
                    Http.DEFAULT,
                    rollgateEnv,
                    ProcessBuilder.Redirect.appendTo(rollgateLog.toFile()));
            Deployment d =
                ledger.deployments("shop", "staging", 1).stream().findFirst().orElse(null);
            String serving = world.image(BenchWorld.ROLLGATE_APP);
            ColdStarts.check(
                r.exit() == 0
                    && d != null
                    && d.phase() == Phase.SUCCEEDED
                    && digest.equals(d.image().digest())
                    && serving != null
                    && serving.endsWith("@" + digest),
                "rollgate run "
                    + i
                    + ": exit "
                    + r.exit()
                    + " "
                    + r.lines()
                    + ", "
                    + d
                    + ", the app serves "
                    + serving
                    + " (its output: "
                    + rollgateLog
                    + ")");
            return r.millis();
          },
          i -> {
            String digest = "sha256:%064x".formatted(1001L + 2L * i);
            Result p =
                AzureInvokeLauncher.invoke(
                    plainApp,
                    worker,
                    "imagePushed",
                    world.push(digest, "bench-plain-" + System.nanoTime()),
                    Http.DEFAULT,
                    plainEnv,
                    ProcessBuilder.Redirect.appendTo(plainLog.toFile()));
            String serving = world.image(BenchWorld.PLAIN_APP);
            ColdStarts.check(
                p.exit() == 0 && serving != null && serving.endsWith("@" + digest),
                "plain run "
                    + i
                    + ": exit "
                    + p.exit()
                    + " "
                    + p.lines()
                    + ", the app serves "
                    + serving
                    + " (its output: "
                    + plainLog
                    + ")");
            return p.millis();
          });
    }
  }
}
