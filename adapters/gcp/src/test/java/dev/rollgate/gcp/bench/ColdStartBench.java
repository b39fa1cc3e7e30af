package dev.rollgate.gcp.bench;

import dev.rollgate.bench.ColdStarts;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.gcp.functions.GcpInvokeLauncher;
import dev.rollgate.gcp.functions.GcpInvokeLauncher.Result;
import dev.rollgate.ledger.JdbcLedger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code scripts/bench cold-start gcp}: whole-process cold starts of rollgate's Cloud Functions
 * artifact (the jar inside the deployed zip) under the Functions Framework invoker (a new JVM,
 * {@code java -jar java-function-invoker.jar --classpath ARTIFACT --target RollgateFunction}) and
 * of {@link PlainPushFunction} under the same invoker, each handling one Eventarc push against the
 * same Cloud Run fake ({@link BenchWorld}: rollgate's own, on a port; no migration on either side),
 * timed from the fork to the answer of the first request (what the first request of a new instance
 * waits for). Prints each run, the medians and, last, {@code cold-start-gcp: rollgate=<ms>
 * plain=<ms> ratio=<r/p> artifact=<MB>}. Properties: {@code bench.root}, {@code bench.runs}
 * (default 7), {@code bench.jvm-flags} (JAVA_TOOL_OPTIONS of both sides), {@code bench.invoker}
 * (the invoker jar), {@code bench.classpath} (the module's runtime class path file).
 */
public final class ColdStartBench {

  private ColdStartBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int runs = Integer.getInteger("bench.runs", 7);
    String flags =
        System.getProperty("bench.jvm-flags", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    String invoker = System.getProperty("bench.invoker");
    Path gcp = root.resolve("adapters/gcp");
    Path artifact;
    try (Stream<Path> s = Files.list(gcp.resolve("target"))) {
      artifact =
          s.filter(p -> p.toString().endsWith("-cloudfunctions.zip")).findFirst().orElseThrow();
    }
    Path work = Files.createDirectories(gcp.resolve("target/bench-cold-start-gcp"));
    // What Cloud Functions runs: the jar inside the deployed zip (its entries stored).
    Path jar = work.resolve("rollgate.jar");
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(artifact.toFile())) {
      try (var in = zip.getInputStream(zip.getEntry("rollgate.jar"))) {
        Files.copy(in, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path testClasses = gcp.resolve("target/test-classes");
    if (!BenchJars.hasCloudRunPlatform(jar)) {
      throw new IllegalStateException(
          artifact + " has no Cloud Run platform: rebuild it with scripts/package gcp");
    }
    String rollgateCp = jar.toString();
    String plainCp =
        BenchJars.plain(testClasses, work)
            + File.pathSeparator
            + BenchJars.cloudRunClientJars(Path.of(System.getProperty("bench.classpath")));

    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        BenchWorld world = BenchWorld.start(root, work, false)) {
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
          "cold-start-gcp",
          runs,
          artifact,
          i -> {
            String digest = "sha256:%064x".formatted(1000L + 2L * i);
            Result r =
                GcpInvokeLauncher.invoke(
                    invoker,
                    rollgateCp,
                    "dev.rollgate.gcp.functions.RollgateFunction",
                    "imagePushed",
                    world.push(digest, "bench-rollgate-" + System.nanoTime()),
                    "/",
                    rollgateEnv,
                    ProcessBuilder.Redirect.appendTo(rollgateLog.toFile()));
            Deployment d = ledger.deployments("shop", "staging", 1).get(0);
            ColdStarts.check(
                r.status() == 200
                    && d.phase() == Phase.SUCCEEDED
                    && digest.equals(d.image().digest())
                    && world.image(BenchWorld.ROLLGATE_SERVICE).endsWith(digest),
                "rollgate run "
                    + i
                    + ": HTTP "
                    + r.status()
                    + ", "
                    + d
                    + " (its output: "
                    + rollgateLog
                    + ")");
            return r.millis();
          },
          i -> {
            String plainDigest = "sha256:%064x".formatted(1001L + 2L * i);
            Result p =
                GcpInvokeLauncher.invoke(
                    invoker,
                    plainCp,
                    PlainPushFunction.class.getName(),
                    "imagePushed",
                    world.push(plainDigest, "bench-plain-" + System.nanoTime()),
                    "/",
                    plainEnv,
                    ProcessBuilder.Redirect.appendTo(plainLog.toFile()));
            ColdStarts.check(
                p.status() == 200 && world.image(BenchWorld.PLAIN_SERVICE).endsWith(plainDigest),
                "plain run "
                    + i
                    + ": HTTP "
                    + p.status()
                    + " "
                    + p.body()
                    + " (its output: "
                    + plainLog
                    + ")");
            return p.millis();
          });
    }
  }
}
