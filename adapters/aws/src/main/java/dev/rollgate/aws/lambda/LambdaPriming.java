package dev.rollgate.aws.lambda;

import dev.rollgate.aws.AwsPriming;
import dev.rollgate.core.manifest.ManifestLoader;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Primes a Lambda instance while Spring starts: one background thread, started as Spring Boot
 * starts ({@link LambdaPrimingListener}) or else by {@link RollgateLambda}, runs a made-up
 * deployment's ECS calls against in-process answers ({@link AwsPriming}), parses a manifest, and
 * loads the PostgreSQL driver and the probe's HTTP classes, so that the first event finds them
 * loaded. Lambda gives an instance's initialisation its CPU; with SnapStart the instance waits for
 * it, so that the snapshot holds it all. It keeps nothing: no connection, no credentials, no
 * randomness. {@code ROLLGATE_PRIMING=off} turns it off.
 */
final class LambdaPriming {

  /** Environment variable; {@code off} turns priming off. */
  static final String ENV_PRIMING = "ROLLGATE_PRIMING";

  private static final Logger LOG = Logger.getLogger(LambdaPriming.class.getName());

  /** Classes of the ledger's first connection and statements (none connects here). */
  private static final List<String> JDBC =
      List.of(
          "org.postgresql.Driver",
          "org.postgresql.core.v3.ConnectionFactoryImpl",
          "org.postgresql.core.v3.QueryExecutorImpl",
          "org.postgresql.jdbc.PgConnection",
          "org.postgresql.jdbc.PgPreparedStatement",
          "org.postgresql.jdbc.PgResultSet",
          "com.zaxxer.hikari.HikariConfig",
          "com.zaxxer.hikari.HikariDataSource",
          "com.zaxxer.hikari.pool.HikariPool");

  private static final AtomicReference<Thread> STARTED = new AtomicReference<>();

  private LambdaPriming() {}

  /**
   * Starts priming once per JVM, unless {@code setting} is {@code off} or the JVM has one processor
   * (but for a SnapStart snapshot); returns its thread (the same one on every later call), or null
   * when it is off. With SnapStart ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) it returns
   * when priming ended.
   */
  static Thread start(String setting, String manifestLocation, String initializationType) {
    boolean snapStart = "snap-start".equals(initializationType);
    if ("off".equalsIgnoreCase(setting == null ? "" : setting.trim())
        // With one processor priming only competes with Spring (measured: scripts/bench
        // cold-start under taskset -c 0); a snapshot's init is not on the cold path.
        || Runtime.getRuntime().availableProcessors() < 2 && !snapStart) {
      return null;
    }
    Thread thread = STARTED.get();
    if (thread == null) {
      boolean s3 = manifestLocation != null && manifestLocation.startsWith("s3://");
      Thread fresh = new Thread(() -> prime(s3), "rollgate-priming");
      fresh.setDaemon(true);
      if (STARTED.compareAndSet(null, fresh)) {
        fresh.start();
      }
      thread = STARTED.get();
    }
    if (snapStart) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        LOG.warning(
            "priming still runs after 30 s: the SnapStart snapshot is taken with it half-way"
                + " (set ROLLGATE_PRIMING=off if this repeats)");
      }
    }
    return thread;
  }

  static void prime(boolean s3) {
    long start = System.nanoTime();
    try {
      AwsPriming.prime(s3);
      ManifestLoader.parse(AwsPriming.manifest(), "priming", Path.of("/tmp"));
      ClassLoader loader = LambdaPriming.class.getClassLoader();
      for (String name : JDBC) {
        Class.forName(name, true, loader);
      }
      // The probe's HTTP stack, opened as the probe opens it; that alone does not connect.
      URI.create("http://127.0.0.1/").toURL().openConnection();
      LOG.fine(
          () -> "primed in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    } catch (Exception | LinkageError e) {
      // Nothing depends on priming: the first event loads what is missing. One line says so, as
      // cold starts are slower without it.
      LOG.info(() -> "priming stopped early (" + e + "); the first event loads what is missing");
      LOG.log(Level.FINE, "priming stopped early", e);
    }
  }
}
