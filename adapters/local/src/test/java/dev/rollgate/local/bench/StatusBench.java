package dev.rollgate.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.ledger.BenchSql;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.ledger.PooledDataSource;
import dev.rollgate.ledger.TransitionChain;
import dev.rollgate.local.LocalHost;
import dev.rollgate.local.cli.DoraCommand;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code scripts/bench status}: the status page (HTML) and {@code scripts/rollgate dora} (the
 * status JSON over 30 days, printed as its table) on the local host, over a ledger of 100,000
 * deployments and 1,000,000 transitions written straight into the embedded PostgreSQL with COPY
 * (hash chain computed as the trigger would), and again over 1,000 deployments with the same rate
 * of deployments, so that the last 30 days hold about as much in both.
 *
 * <p>Each deployment has ten transitions: PENDING, MIGRATING, ROLLING_OUT, VERIFYING, five
 * VERIFYING steps, SUCCEEDED; one in ten fails: ..., three VERIFYING steps, FAILED, ROLLING_BACK,
 * ROLLED_BACK. Ten environments (five apps, staging and production), one deployment each every 6
 * hours. Each figure is the median of {@code bench.runs} calls after ten warm-ups.
 */
public final class StatusBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int APPS = 5;
  private static final List<String> ENVS = List.of("staging", "production");
  private static final Duration EVERY = Duration.ofHours(6);
  private static final HexFormat HEX = HexFormat.of();

  /** What one ledger size measured. */
  record Result(
      long deployments,
      long transitions,
      double htmlP50,
      double doraP50,
      double chainP50,
      double doraSqlP50,
      double restP50) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.dir", "target/bench-status")).toAbsolutePath();
    int big = Integer.getInteger("bench.deployments", 100_000);
    int runs = Integer.getInteger("bench.runs", 21);
    Result small = run(root.resolve("small"), 1_000, runs);
    Result large = run(root.resolve("large"), big, runs);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "status: html-p50=%.1f dora-p50=%.1f ledger-rows=%d ratio=%.2f%n",
        large.htmlP50(),
        large.doraP50(),
        large.deployments() + large.transitions(),
        large.doraP50() / small.doraP50());
  }

  static Result run(Path dir, int deployments, int runs) throws Exception {
    wipe(dir);
    Files.createDirectories(dir);
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(manifest, manifest());
    System.out.printf("%n== ledger of %,d deployments (%s)%n", deployments, dir);
    try (LocalHost host =
        LocalHost.start(
            LocalHost.Settings.of(manifest.toString(), dir.resolve("state").toString(), 0)
                .withTimings(
                    Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(1)))) {
      PGSimpleDataSource su = superuser(dir.resolve("state"));
      long t0 = System.nanoTime();
      long transitions;
      try (Connection c = su.getConnection()) {
        transitions = load(c, deployments);
      }
      System.out.printf(
          "  loaded %,d deployments and %,d transitions with COPY in %.1fs%n",
          deployments, transitions, (System.nanoTime() - t0) / 1e9);
      explain(su, dir);
      String base = "http://127.0.0.1:" + host.port();
      PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
      // The page and dora alternate, so that both meet the same machine (other work, JIT).
      double[] both =
          p50(
              runs,
              () -> {
                String page = get(base + "/status", "text/html");
                if (!page.startsWith("<!doctype html>")) {
                  throw new IllegalStateException("not the page: " + page);
                }
              },
              () -> {
                try {
                  DoraCommand.table(JSON.readTree(get(base + "/status?since=30d", null)), nowhere);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      double html = both[0];
      double dora = both[1];
      // Where the time goes: the ledger calls status makes, timed on their own.
      var pool = PooledDataSource.of(su, 2, "bench");
      JdbcLedger ledger = new JdbcLedger(pool);
      double chain = p50(3, ledger::verifyChain);
      double watch = p50(runs, ledger::checkChain);
      Instant now = Instant.now();
      double doraSql =
          p50(
              runs,
              () -> {
                for (int a = 0; a < APPS; a++) {
                  for (String env : ENVS) {
                    ledger.dora("app" + a, env, now.minus(Duration.ofDays(30)), now);
                  }
                }
              });
      double rest =
          p50(
              runs,
              () -> {
                for (int a = 0; a < APPS; a++) {
                  for (String env : ENVS) {
                    ledger.deployments("app" + a, env, 10).stream()
                        .filter(d -> d.phase() == Phase.ROLLED_BACK)
                        .forEach(d -> ledger.transitions(d.id()));
                    ledger.lastSucceeded("app" + a, env, null);
                  }
                }
              });
      System.out.printf(
          Locale.ROOT,
          "  p50 over %d runs: status page (HTML) %.1f ms, dora (status JSON + table) %.1f ms%n"
              + "    the ledger's calls alone: chain check as status makes it %.1f ms (a full walk"
              + " %.1f ms, median of 3), DORA SQL (10 environments) %.1f ms, recent/serving/failures %.1f ms%n",
          runs,
          html,
          dora,
          watch,
          chain,
          doraSql,
          rest);
      pool.close();
      return new Result(deployments, transitions, html, dora, chain, doraSql, rest);
    }
  }

  /** The median wall time of {@code runs} calls after ten warm-ups, in milliseconds. */
  private static double p50(int runs, Runnable call) {
    return p50(runs, new Runnable[] {call})[0];
  }

  /** The medians of {@code calls}, made in turn {@code runs} times after ten warm-ups each. */
  private static double[] p50(int runs, Runnable... calls) {
    for (int i = 0; i < 10; i++) {
      for (Runnable call : calls) {
        call.run();
      }
    }
    List<List<Double>> ms = new ArrayList<>();
    for (Runnable call : calls) {
      ms.add(new ArrayList<>());
    }
    for (int i = 0; i < runs; i++) {
      for (int k = 0; k < calls.length; k++) {
        long t = System.nanoTime();
        calls[k].run();
        ms.get(k).add((System.nanoTime() - t) / 1e6);
      }
    }
    double[] medians = new double[calls.length];
    for (int k = 0; k < calls.length; k++) {
      Collections.sort(ms.get(k));
      medians[k] = ms.get(k).get(ms.get(k).size() / 2);
    }
    return medians;
  }

  private static String get(String url, String accept) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2));
      if (accept != null) {
        b.header("Accept", accept);
      }
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String manifest() {
    StringBuilder y = new StringBuilder("version: 1\napps:\n");
    for (int a = 0; a < APPS; a++) {
      y.append("  - name: app").append(a).append('\n');
      y.append("    image: localhost:5000/bench/app").append(a).append('\n');
      y.append("    environments:\n");
      for (String env : ENVS) {
        y.append("      ").append(env).append(":\n");
        y.append("        target: { platform: local, service: bench-app")
            .append(a)
            .append('-')
            .append(env)
            .append(", command: \"{java} -version\" }\n");
      }
    }
    return y.toString();
  }

  /**
   * Writes the ledger with COPY, the transitions' triggers off while it does (the hashes are the
   * chain's own, computed here with {@link TransitionChain}); returns the transitions written.
   */
  static long load(Connection c, int deployments) throws Exception {
    CopyManager copy = ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI();
    int environments = APPS * ENVS.size();
    Duration step = EVERY.dividedBy(environments);
    Instant end = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MICROS);
    Instant start = end.minus(step.multipliedBy(deployments));
    Map<String, String> previous = new HashMap<>();
    StringBuilder d = new StringBuilder(1 << 20);
    StringBuilder t = new StringBuilder(1 << 22);
    long seq = 0;
    try (Statement s = c.createStatement()) {
      s.execute("alter table transitions disable trigger user");
    }
    for (int i = 0; i < deployments; i++) {
      String app = "app" + (i % environments / ENVS.size());
      String env = ENVS.get(i % ENVS.size());
      String id = String.format("bench-%08d", i);
      String digest = "sha256:" + HEX.formatHex(sha256(id));
      String tag = "v" + i;
      Instant at = start.plus(step.multipliedBy(i));
      boolean fails = (i / environments) % 10 == 3;
      List<Phase> phases = new ArrayList<>();
      phases.add(Phase.PENDING);
      phases.add(Phase.MIGRATING);
      phases.add(Phase.ROLLING_OUT);
      phases.addAll(Collections.nCopies(fails ? 4 : 6, Phase.VERIFYING));
      phases.addAll(
          fails
              ? List.of(Phase.FAILED, Phase.ROLLING_BACK, Phase.ROLLED_BACK)
              : List.of(Phase.SUCCEEDED));
      Phase from = null;
      Instant when = at;
      for (int k = 0; k < phases.size(); k++) {
        Phase to = phases.get(k);
        seq++;
        String reason = reason(to, k, tag);
        Transition tr = new Transition(seq, id, app, env, from, to, when, "bench", reason);
        String chain = app + "/" + env;
        String hash = TransitionChain.hash(previous.get(chain), tr, digest);
        previous.put(chain, hash);
        t.append(seq).append('\t').append(id).append('\t').append(app).append('\t');
        t.append(env).append('\t').append(from == null ? "\\N" : from.name()).append('\t');
        t.append(to.name()).append('\t').append(when).append('\t').append("bench\t");
        t.append(reason).append('\t').append(digest).append('\t').append(hash).append('\n');
        from = to;
        when = when.plusMillis(1500);
      }
      d.append(id).append('\t').append(i + 1).append('\t').append(app).append('\t');
      d.append(env).append("\tlocalhost:5000\tbench/").append(app).append('\t').append(tag);
      d.append('\t').append(digest).append('\t').append(from.name()).append('\t');
      d.append(phases.size()).append('\t').append(at).append('\t').append(at).append('\t');
      d.append(when).append('\t').append("bench-").append(app).append('-').append(env);
      d.append('-').append(i).append('\t').append(reason(from, 9, tag)).append('\n');
      if (d.length() > (1 << 20) || i == deployments - 1) {
        copy.copyIn(
            "copy deployments (id, seq, app, environment, image_registry, image_repository,"
                + " image_tag, image_digest, phase, version, pushed_at, created_at, updated_at,"
                + " revision, detail) from stdin",
            reader(d));
        copy.copyIn(
            "copy transitions (seq, deployment_id, app, environment, from_phase, to_phase, at,"
                + " actor, reason, image_digest, hash) from stdin",
            reader(t));
        d.setLength(0);
        t.setLength(0);
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("alter table transitions enable trigger user");
      s.execute("select setval('deployments_seq_seq', " + deployments + ")");
      s.execute("select setval('transitions_seq_seq', " + seq + ")");
      // What autovacuum does to a ledger of this size soon after: statistics and visibility map.
      s.execute("vacuum analyze deployments");
      s.execute("vacuum analyze transitions");
    }
    return seq;
  }

  private static String reason(Phase to, int k, String tag) {
    return switch (to) {
      case PENDING -> "pushed " + tag;
      case MIGRATING -> "migrating";
      case ROLLING_OUT -> "schema at version 3 (0 applied)";
      case VERIFYING -> "step " + k + ": probing";
      case SUCCEEDED -> "healthy: 3 consecutive healthy probes";
      case FAILED -> "3 consecutive unhealthy probes, last: 503";
      case ROLLING_BACK -> "rolling back";
      default -> "revision restored and healthy";
    };
  }

  private static Reader reader(StringBuilder b) {
    return new StringReader(b.toString());
  }

  private static byte[] sha256(String s) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** EXPLAIN ANALYZE of the DORA statements for app0/staging, into the bench directory. */
  private static void explain(PGSimpleDataSource su, Path dir) throws Exception {
    Instant until = Instant.now();
    Instant since = until.minus(Duration.ofDays(30));
    StringBuilder out = new StringBuilder();
    try (Connection c = su.getConnection()) {
      for (Map.Entry<String, String> q : BenchSql.dora().entrySet()) {
        try (var ps = c.prepareStatement("explain (analyze, buffers) " + q.getValue())) {
          Object[] params =
              q.getKey().equals("deployments")
                  ? new Object[] {"app0", "staging", since, until, since, until}
                  : new Object[] {"app0", "staging", until, "app0", "staging", since, since, since};
          for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Instant at) {
              ps.setObject(i + 1, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
            } else {
              ps.setObject(i + 1, params[i]);
            }
          }
          out.append("-- ").append(q.getKey()).append('\n');
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.append(rs.getString(1)).append('\n');
            }
          }
        }
      }
    }
    Files.writeString(dir.resolve("explain-dora.txt"), out);
    System.out.println(
        "  EXPLAIN ANALYZE of the DORA statements: " + dir.resolve("explain-dora.txt"));
  }

  /** The embedded server's superuser, from the state directory's password file and pid file. */
  private static PGSimpleDataSource superuser(Path state) throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(state.resolve("pg.passwords"))) {
      p.load(r);
    }
    int port =
        Integer.parseInt(Files.readAllLines(state.resolve("pg/postmaster.pid")).get(3).trim());
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl("jdbc:postgresql://localhost:" + port + "/rollgate");
    ds.setUser("postgres");
    ds.setPassword(p.getProperty("postgres"));
    return ds;
  }

  private static void wipe(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    if (Files.exists(dir.resolve("state/pg"))) {
      dev.rollgate.local.EmbeddedDatabase.stopLeftover(dir.resolve("state/pg"));
    }
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
