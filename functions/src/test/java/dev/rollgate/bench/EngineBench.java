package dev.rollgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.engine.Platforms;
import dev.rollgate.core.engine.Reconciler;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.ledger.PooledDataSource;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.FakeMigrationRunner;
import dev.rollgate.testing.InMemoryPlatform;
import dev.rollgate.testing.ScriptedProbe;
import dev.rollgate.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code scripts/bench engine}: 1,000 push events (30% duplicates) from 8 concurrent callers across
 * 50 apps, through the real engine and the real PostgreSQL ledger, with a platform that answers at
 * once. Measures the engine's latency from event received to rollout issued, and in the same run
 * its floor ({@link JdbcFloor}): the same JDBC work replayed by a bare client.
 */
public final class EngineBench {

  private static final int EVENTS = 1000;
  private static final int APPS = 50;
  private static final int CALLERS = 8;
  private static final double DUPLICATES = 0.30;
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    System.out.println("engine bench: starting embedded PostgreSQL and the ledger ...");
    System.out.println("engine bench: warm-up run (same load, separate database, not counted) ...");
    run(false);
    run(true);
    System.exit(0);
  }

  private static void run(boolean report) throws Exception {
    JdbcRecorder recorder = new JdbcRecorder();
    Ledger ledger =
        JdbcLedger.migrateAndOpen(
            recorder.wrap(PooledDataSource.of(TestPostgres.freshDatabase(), CALLERS + 2, "bench")));
    String yaml =
        EngineHarness.manifest(APPS)
            .replace(
                "health: { interval: 1s, successThreshold: 3, failureThreshold: 3, deadline: 30s }",
                "health: { interval: 1ms, successThreshold: 1, failureThreshold: 1, deadline: 30s }");
    Manifest manifest = ManifestLoader.parse(yaml, "bench.yaml", Path.of("/tmp"));
    TimingPlatform platform = new TimingPlatform(new InMemoryPlatform(), recorder);
    EnvSecretResolver secrets =
        new EnvSecretResolver(Map.of("PROMOTE_TOKEN", "t", "SHOP_DB", "jdbc:none")::get);
    DeploymentEngine engine =
        new DeploymentEngine(
            manifest,
            ledger,
            new Platforms(List.of(platform), List.of(new FakeMigrationRunner())),
            ScriptedProbe.alwaysHealthy(),
            secrets,
            (d, m) -> {},
            Clock.system(),
            EngineSettings.defaults());
    RollgateApi api = new RollgateApi(engine, secrets, Duration.ofMinutes(5));

    // 700 distinct events spread over 50 apps, 300 redeliveries of earlier ones, shuffled.
    Random random = new Random(7);
    int unique = (int) Math.round(EVENTS * (1 - DUPLICATES));
    List<String[]> events = new ArrayList<>();
    Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
    for (int i = 0; i < unique; i++) {
      String app = i % APPS == 0 ? "shop" : "app-" + (i % APPS);
      events.add(
          new String[] {
            app, EngineHarness.push(app, "v" + i, i + 1, "evt-" + i, t0.plusMillis(i).toString())
          });
    }
    List<String[]> deliveries = new ArrayList<>(events);
    for (int i = unique; i < EVENTS; i++) {
      deliveries.add(events.get(random.nextInt(unique)));
    }
    java.util.Collections.shuffle(deliveries, random);

    if (report) {
      System.out.println("engine bench: " + EVENTS + " events from " + CALLERS + " callers ...");
    }
    Map<String, Long> receivedNanos = new ConcurrentHashMap<>();
    AtomicInteger duplicatesSeen = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    long start = System.nanoTime();
    List<Future<?>> calls = new ArrayList<>();
    List<long[]> callSplit = java.util.Collections.synchronizedList(new ArrayList<>());
    List<JdbcRecorder.Recording> recordings =
        java.util.Collections.synchronizedList(new ArrayList<>());
    for (String[] delivery : deliveries) {
      String app = delivery[0];
      String body = delivery[1];
      calls.add(
          pool.submit(
              () -> {
                long received = System.nanoTime();
                recorder.start();
                String reply;
                JdbcRecorder.Recording recording;
                try {
                  reply = api.imagePushed(FunctionRequest.of(body)).body();
                } finally {
                  callSplit.add(new long[] {System.nanoTime() - received, recorder.jdbcNanos()});
                  recording = recorder.stop(app);
                }
                JsonNode json = JSON.readTree(reply);
                List<String> ids = new ArrayList<>();
                json.path("deployments").forEach(d -> ids.add(d.path("id").asText()));
                recordings.add(recording.receiving(ids));
                if (json.path("duplicate").asBoolean()) {
                  duplicatesSeen.incrementAndGet();
                }
                for (JsonNode d : json.path("deployments")) {
                  receivedNanos.putIfAbsent(d.path("id").asText(), received);
                }
                return null;
              }));
    }
    for (Future<?> f : calls) {
      f.get();
    }
    pool.shutdown();
    new Reconciler(engine).run(Instant.now().plus(Duration.ofMinutes(5)));
    double seconds = (System.nanoTime() - start) / 1e9;

    // Lost: a distinct event without a deployment, or a deployment not finished.
    int lost = 0;
    int deployments = 0;
    int duplicated = 0;
    for (int a = 0; a < APPS; a++) {
      String app = a == 0 ? "shop" : "app-" + a;
      List<Deployment> all = ledger.deployments(app, "staging", 10_000);
      deployments += all.size();
      for (Deployment d : all) {
        if (!d.phase().isTerminal()) {
          lost++;
        }
      }
    }
    lost += Math.max(0, unique - deployments);
    duplicated += Math.max(0, deployments - unique);
    duplicated += platform.rolledOutTwice();

    long[] latencies =
        platform.issuedNanos.entrySet().stream()
            .filter(e -> receivedNanos.containsKey(e.getKey()))
            .mapToLong(e -> e.getValue() - receivedNanos.get(e.getKey()))
            .sorted()
            .toArray();
    // The floor: the same JDBC work, replayed by a bare client on a fresh database.
    var floorPool = PooledDataSource.of(TestPostgres.freshDatabase(), CALLERS + 2, "floor");
    JdbcLedger.migrateAndOpen(floorPool);
    JdbcFloor.Result floor = JdbcFloor.replay(floorPool, recordings, CALLERS);
    floorPool.close();
    if (!report) {
      return;
    }
    System.out.printf(
        "engine bench: per call, p50 %.1f ms in all, of which %.1f ms inside JDBC calls"
            + " (waits for connections and locks included)%n",
        percentile(callSplit.stream().mapToLong(c -> c[0]).sorted().toArray(), 50) / 1e6,
        percentile(callSplit.stream().mapToLong(c -> c[1]).sorted().toArray(), 50) / 1e6);
    System.out.printf(
        "engine bench: floor replayed the JDBC work of %d calls (%s in all), %d rollouts;"
            + " %d replayed calls failed%n",
        recordings.size(),
        JdbcRecorder.describe(recordings.stream().flatMap(r -> r.calls().stream()).toList()),
        floor.latencies().length,
        floor.failedCalls());
    System.out.printf(
        "engine bench: %d deliveries (%d recognised as duplicates), %d deployments,"
            + " %d rollouts issued, %.2fs%n",
        EVENTS, duplicatesSeen.get(), deployments, latencies.length, seconds);
    System.out.printf(
        "engine: p50=%.1f p99=%.1f throughput=%.0f floor-p50=%.1f ratio=%.2f lost=%d"
            + " duplicated=%d%n",
        percentile(latencies, 50) / 1e6,
        percentile(latencies, 99) / 1e6,
        deployments / seconds,
        percentile(floor.latencies(), 50) / 1e6,
        percentile(latencies, 50) / percentile(floor.latencies(), 50),
        lost,
        duplicated);
  }

  private static double percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Notes when each deployment's rollout was first issued, and any issued twice. */
  static final class TimingPlatform implements ServicePlatform {
    final Map<String, Long> issuedNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final InMemoryPlatform delegate;
    private final JdbcRecorder recorder;

    TimingPlatform(InMemoryPlatform delegate, JdbcRecorder recorder) {
      this.delegate = delegate;
      this.recorder = recorder;
    }

    int rolledOutTwice() {
      return (int) calls.values().stream().filter(c -> c.get() > 1).count();
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public List<String> validate(TargetSpec target) {
      return delegate.validate(target);
    }

    @Override
    public ServiceState describe(TargetSpec target) throws PlatformException {
      return delegate.describe(target);
    }

    @Override
    public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image)
        throws PlatformException {
      issuedNanos.putIfAbsent(deploymentId, System.nanoTime());
      recorder.mark(deploymentId);
      calls.computeIfAbsent(deploymentId, k -> new AtomicInteger()).incrementAndGet();
      return delegate.rollOut(target, deploymentId, image);
    }

    @Override
    public RolloutStatus observe(TargetSpec target, String revision) throws PlatformException {
      return delegate.observe(target, revision);
    }

    @Override
    public void restore(TargetSpec target, String revision) throws PlatformException {
      delegate.restore(target, revision);
    }
  }

  static {
    // Keep the engine's warnings (lost leases, retries) but not its per-deployment info lines.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    Arrays.stream(java.util.logging.Logger.getLogger("").getHandlers())
        .forEach(h -> h.setLevel(java.util.logging.Level.WARNING));
  }
}
