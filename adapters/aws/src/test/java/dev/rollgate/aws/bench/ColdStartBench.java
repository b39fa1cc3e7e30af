package dev.rollgate.aws.bench;

import static dev.rollgate.bench.ColdStarts.median;

import dev.rollgate.aws.lambda.RollgateLambda;
import dev.rollgate.ledger.JdbcLedger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * {@code scripts/bench cold-start}: whole-process cold starts of rollgate's Lambda artifact
 * (through its own handler, and through Spring Cloud Function's {@link FunctionInvoker}) and of
 * {@link PlainEcrPushHandler}, each handling an ECR push against the same moto (with rollouts that
 * complete at once), through the same launcher and JVM flags; prints each run, the medians, a
 * {@code cold-start-invoker:} line and, last, the {@code cold-start:} line of the default handler.
 * Properties: {@code bench.root} (the repository), {@code bench.runs} (default 7), {@code
 * bench.jvm-flags} (default AWS's {@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}), {@code
 * bench.appcds} (true: the warm-up run of each side dumps an AppCDS archive, which every measured
 * run of that side then maps; Lambda allows it through JAVA_TOOL_OPTIONS when the archive ships in
 * the zip).
 */
public final class ColdStartBench {

  private ColdStartBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int runs = Integer.getInteger("bench.runs", 7);
    String flags =
        System.getProperty("bench.jvm-flags", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    Path aws = root.resolve("adapters/aws");
    Path lib = aws.resolve("target/lambda-task/lib");
    Path zip;
    try (Stream<Path> s = Files.list(aws.resolve("target"))) {
      zip = s.filter(p -> p.toString().endsWith("-lambda.zip")).findFirst().orElseThrow();
    }
    Path work = Files.createDirectories(aws.resolve("target/bench-cold-start"));
    // A jar, not the test-classes directory: AppCDS refuses non-empty directories on the path.
    String launcher = launcherJar(aws.resolve("target/test-classes"), work).toString();
    List<String> all;
    try (Stream<Path> s = Files.list(lib)) {
      all = s.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().toList();
    }
    String rollgateCp = lib + File.separator + "*" + File.pathSeparator + launcher;
    // The baseline gets only what it uses: the SDK's ECS client, Jackson, the Lambda interfaces.
    String plainCp =
        String.join(
                File.pathSeparator,
                all.stream()
                    .filter(
                        p -> {
                          String n = Path.of(p).getFileName().toString();
                          return !(n.startsWith("spring")
                              || n.startsWith("rollgate")
                              || n.startsWith("flyway")
                              || n.startsWith("postgresql")
                              || n.startsWith("HikariCP")
                              || n.startsWith("reactor")
                              || n.startsWith("snakeyaml")
                              || n.startsWith("s3-")
                              || n.startsWith("secretsmanager")
                              || n.startsWith("micrometer")
                              || n.startsWith("aws-lambda-java-events")
                              || n.startsWith("joda")
                              || n.startsWith("jackson-datatype"));
                        })
                    .toList())
            + File.pathSeparator
            + launcher;

    int port = freePort();
    String endpoint = "http://127.0.0.1:" + port;
    Process moto =
        new ProcessBuilder(
                "python3",
                aws.resolve("moto/moto_with_rollouts.py").toString(),
                "-H",
                "127.0.0.1",
                "-p",
                String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("moto.log").toFile())
            .start();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      awaitUp(endpoint + "/moto-api/");
      Path manifest = work.resolve("rollgate.yaml");
      run(
          new ProcessBuilder(
              "python3",
              aws.resolve("moto/setup_moto.py").toString(),
              endpoint,
              manifest.toString()));
      // One healthy probe, as the baseline makes one GET.
      Files.writeString(
          manifest,
          Files.readString(manifest).replace("successThreshold: 2", "successThreshold: 1"));
      JdbcLedger.migrateAndOpen(pg.getPostgresDatabase());
      String ledgerUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";

      Map<String, String> common = new HashMap<>();
      common.put("AWS_ENDPOINT_URL", endpoint);
      common.put("AWS_REGION", "us-east-1");
      common.put("AWS_ACCESS_KEY_ID", "testing");
      common.put("AWS_SECRET_ACCESS_KEY", "testing");
      common.put("JAVA_TOOL_OPTIONS", flags);
      Map<String, String> rollgateEnv = new HashMap<>(common);
      rollgateEnv.put(RollgateLambda.ENV_FUNCTION_DEFINITION, "imagePushed");
      rollgateEnv.put(RollgateLambda.ENV_MANIFEST, manifest.toString());
      rollgateEnv.put(RollgateLambda.ENV_LEDGER_URL, ledgerUrl);
      // Spring Cloud Function's FunctionInvoker, starting Spring Boot with RollgateLambda.
      Map<String, String> invokerEnv = new HashMap<>(rollgateEnv);
      invokerEnv.put(RollgateLambda.ENV_MAIN_CLASS, RollgateLambda.MAIN_CLASS);
      Map<String, String> plainEnv = new HashMap<>(common);
      plainEnv.put(
          "PLAIN_IMAGE", "123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name");
      plainEnv.put("PLAIN_CLUSTER", "rollgate-demo");
      plainEnv.put("PLAIN_SERVICE", "plain");
      plainEnv.put("PLAIN_CONTAINER", "app");
      plainEnv.put("PLAIN_HEALTH_URL", endpoint + "/moto-api/");

      String sample = Files.readString(root.resolve("events/fixtures/aws-ecr-image-push.json"));
      List<Long> rollgate = new ArrayList<>();
      List<Long> invoker = new ArrayList<>();
      List<Long> plain = new ArrayList<>();
      List<Long> rollgateCpu = new ArrayList<>();
      List<Long> invokerCpu = new ArrayList<>();
      List<Long> plainCpu = new ArrayList<>();
      System.out.printf("JVM flags for both sides: JAVA_TOOL_OPTIONS=%s%n", flags);
      boolean appCds = Boolean.getBoolean("bench.appcds");
      if (appCds) {
        System.out.println(
            "AppCDS: each side's warm-up run dumps its archive (-XX:ArchiveClassesAtExit)");
        // An archive of an earlier build is read-only and no longer matches the jars: the JVM
        // would keep it and silently ignore it.
        Files.deleteIfExists(work.resolve("rollgate.jsa"));
        Files.deleteIfExists(work.resolve("plain.jsa"));
        Files.deleteIfExists(work.resolve("invoker.jsa"));
      }
      for (int i = 0; i <= runs; i++) {
        if (appCds) {
          String mode = i == 0 ? "-XX:ArchiveClassesAtExit=" : "-XX:SharedArchiveFile=";
          rollgateEnv.put("JAVA_TOOL_OPTIONS", flags + " " + mode + work.resolve("rollgate.jsa"));
          invokerEnv.put("JAVA_TOOL_OPTIONS", flags + " " + mode + work.resolve("invoker.jsa"));
          plainEnv.put("JAVA_TOOL_OPTIONS", flags + " " + mode + work.resolve("plain.jsa"));
        }
        Path event = push(work, sample, "push-" + i, 2L * i + 1);
        long r = invoke(rollgateCp, List.of(), rollgateEnv, event, "\"phase\":\"SUCCEEDED\"");
        long rCpu = lastCpu;
        long inv =
            invoke(
                rollgateCp,
                List.of("-Drollgate.invoke.handler=" + FunctionInvoker.class.getName()),
                invokerEnv,
                push(work, sample, "invoker-push-" + i, 2L * i + 2),
                "\"phase\":\"SUCCEEDED\"");
        long invCpu = lastCpu;
        long p =
            invoke(
                plainCp,
                List.of("-Drollgate.invoke.handler=" + PlainEcrPushHandler.class.getName()),
                plainEnv,
                event,
                "\"rolledOut\":true");
        long pCpu = lastCpu;
        // Run 0 warms the file cache and moto; it is not counted.
        System.out.printf(
            "run %d%s: rollgate %d ms (cpu %d ms), invoker %d ms (cpu %d ms),"
                + " plain %d ms (cpu %d ms)%n",
            i, i == 0 ? " (warm-up)" : "", r, rCpu, inv, invCpu, p, pCpu);
        if (i > 0) {
          rollgate.add(r);
          invoker.add(inv);
          plain.add(p);
          rollgateCpu.add(rCpu);
          invokerCpu.add(invCpu);
          plainCpu.add(pCpu);
        }
      }
      long rm = median(rollgate);
      long pm = median(plain);
      double mb = Files.size(zip) / (1024.0 * 1024.0);
      if (median(rollgateCpu) >= 0) {
        // CPU time, all threads: what a Lambda with one vCPU or less would have to spend.
        System.out.printf(
            Locale.ROOT,
            "cpu (user+system, median): rollgate=%d invoker=%d plain=%d ratio=%.2f%n",
            median(rollgateCpu),
            median(invokerCpu),
            median(plainCpu),
            (double) median(rollgateCpu) / median(plainCpu));
      }
      System.out.printf(
          Locale.ROOT,
          "cold-start-invoker: rollgate=%d plain=%d ratio=%.2f artifact=%.1f%s%n",
          median(invoker),
          pm,
          (double) median(invoker) / pm,
          mb,
          appCds ? " (AppCDS)" : "");
      System.out.printf(
          Locale.ROOT,
          "cold-start: rollgate=%d plain=%d ratio=%.2f artifact=%.1f%s%n",
          rm,
          pm,
          (double) rm / pm,
          mb,
          appCds ? " (AppCDS)" : "");
    } finally {
      moto.destroy();
      moto.waitFor(5, TimeUnit.SECONDS);
      moto.destroyForcibly();
    }
  }

  /** The ECR push sample as a new event: its own id and digest, so that no run is a replay. */
  private static Path push(Path work, String sample, String name, long n) throws IOException {
    Path event = work.resolve(name + ".json");
    Files.writeString(
        event,
        sample
            .replace(
                "sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234",
                "sha256:" + "%064x".formatted(n))
            .replace("13cde686-328b-6117-af20-0e5566167482", "bench-" + System.nanoTime()));
    return event;
  }

  /** GNU time, when installed: each run's CPU time (user + system) besides its wall time. */
  private static final Path TIME = Path.of("/usr/bin/time");

  /** CPU milliseconds of the last {@link #invoke}, or -1 without {@link #TIME}. */
  private static long lastCpu = -1;

  /**
   * Wall time of one whole process, from fork to exit, measured here (outside it); its CPU time
   * goes to {@link #lastCpu}.
   */
  private static long invoke(
      String cp, List<String> props, Map<String, String> env, Path event, String expect)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    Path cpuFile = event.resolveSibling("cpu.txt");
    boolean timed = Files.isExecutable(TIME);
    if (timed) {
      cmd.addAll(List.of(TIME.toString(), "-f", "%U %S", "-o", cpuFile.toString()));
    }
    cmd.addAll(List.of(javaBin(), "-cp", cp));
    cmd.addAll(props);
    cmd.add("dev.rollgate.aws.lambda.LambdaInvokeLauncher");
    cmd.add(event.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process process = pb.start();
    byte[] out = process.getInputStream().readAllBytes();
    int exit = process.waitFor();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String text = new String(out, StandardCharsets.UTF_8);
    if (exit != 0 || !text.contains(expect)) {
      throw new IllegalStateException(
          "run failed (exit " + exit + "), expected " + expect + ": " + text);
    }
    lastCpu = -1;
    if (timed) {
      String[] parts = Files.readString(cpuFile).trim().split("\\s+");
      lastCpu =
          Math.round(
              (Double.parseDouble(parts[parts.length - 2])
                      + Double.parseDouble(parts[parts.length - 1]))
                  * 1000);
    }
    return ms;
  }

  /** The launcher, its context and the plain handler, the only test classes the runs need. */
  private static Path launcherJar(Path classes, Path work) throws IOException {
    Path jar = work.resolve("launcher.jar");
    try (java.util.jar.JarOutputStream out =
            new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
        if (name.startsWith("dev/rollgate/aws/lambda/LambdaInvokeLauncher")
            || name.startsWith("dev/rollgate/aws/lambda/LocalLambdaContext")
            || name.startsWith("dev/rollgate/aws/bench/PlainEcrPushHandler")) {
          out.putNextEntry(new java.util.jar.JarEntry(name));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void run(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", pb.command()) + " failed: " + out);
    }
  }

  private static void awaitUp(String url) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "moto did not answer " + url + " within 20 s (pip install 'moto[server]'==5.2.1)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
