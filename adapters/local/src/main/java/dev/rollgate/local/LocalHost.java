package dev.rollgate.local;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The local host: runs rollgate's Spring Cloud Functions on the embedded default, serves them over
 * HTTP ({@code POST /imagePushed}, {@code POST /promote}, {@code POST /reconcile}, {@code GET
 * /status}, {@code POST /backup}, {@code POST /verifyBackup}) and runs {@code reconcile}, due
 * backups and due restore tests on schedules.
 */
public final class LocalHost implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LocalHost.class.getName());

  /** How long a client may take to send a request's headers and body before it is cut off. */
  public static final Duration READ_TIME = LocalHttp.READ_TIME;

  /** The Spring configuration: auto-configuration brings in the core and the local adapter. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Application {}

  private final ConfigurableApplicationContext context;
  private final LocalHttp http;
  private final ScheduledExecutorService scheduler;

  private LocalHost(Settings settings) throws IOException {
    this.context =
        new SpringApplicationBuilder(Application.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .properties(
                "rollgate.local.enabled=true",
                "rollgate.manifest=" + settings.manifest(),
                "rollgate.home=" + settings.home(),
                "rollgate.budget=" + settings.budget(),
                "rollgate.lease=" + settings.lease())
            .run();
    this.http = LocalHttp.start(settings.port(), this::function);
    this.scheduler = Executors.newSingleThreadScheduledExecutor();
    Function<Message<byte[]>, Object> reconcile = function("reconcile");
    long every = settings.reconcileEvery().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            reconcile.apply(MessageBuilder.withPayload(new byte[0]).build());
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "scheduled reconcile failed; next run in " + every + "ms", e);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    // Backups and restore tests run when due (each environment's backup.schedule); checking
    // every minute is enough for schedules counted in hours.
    Function<Message<byte[]>, Object> backup = function("backup");
    Function<Message<byte[]>, Object> verify = function("verifyBackup");
    long backupEvery = settings.backupCheckEvery().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            backup.apply(MessageBuilder.withPayload(new byte[0]).build());
            verify.apply(MessageBuilder.withPayload(new byte[0]).build());
          } catch (RuntimeException e) {
            LOG.log(
                Level.WARNING, "scheduled backup run failed; next run in " + backupEvery + "ms", e);
          }
        },
        backupEvery,
        backupEvery,
        TimeUnit.MILLISECONDS);
  }

  /**
   * The function bean {@code name}, called as it is. Not through Spring Cloud Function's
   * FunctionCatalog: its wrapper converts a message's payload to the function's input type with its
   * message converters (JSON by default), so that a body such as {@code [1,2,3]} or {@code "abc"}
   * reached the function as other bytes than were received and signed.
   */
  @SuppressWarnings("unchecked")
  private Function<Message<byte[]>, Object> function(String name) {
    return context.getBean(name, Function.class);
  }

  /** Starts a host with these settings. */
  public static LocalHost start(Settings settings) throws IOException {
    return new LocalHost(settings);
  }

  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    http.close();
    context.close();
  }

  /**
   * The host's settings, with defaults.
   *
   * @param manifest path of rollgate.yaml (default {@code rollgate.yaml})
   * @param home state directory (default {@code .rollgate})
   * @param port HTTP port on 127.0.0.1 (default 8787; 0 picks a free one)
   * @param reconcileEvery pause between scheduled reconcile runs (default 2s)
   * @param budget time one invocation may spend advancing deployments (default 5m)
   * @param lease how long a lease lasts before reconcile may take a deployment over (default 15s)
   * @param backupCheckEvery how often due backups and restore tests are looked for (default 1m)
   */
  public record Settings(
      String manifest,
      String home,
      int port,
      Duration reconcileEvery,
      Duration budget,
      Duration lease,
      Duration backupCheckEvery) {

    public static Settings defaults() {
      return new Settings(
          "rollgate.yaml",
          ".rollgate",
          8787,
          Duration.ofSeconds(2),
          Duration.ofMinutes(5),
          Duration.ofSeconds(15),
          Duration.ofMinutes(1));
    }

    /** The defaults, with this manifest, state directory and port. */
    public static Settings of(String manifest, String home, int port) {
      Settings d = defaults();
      return new Settings(
          manifest, home, port, d.reconcileEvery(), d.budget(), d.lease(), d.backupCheckEvery());
    }

    public Settings withTimings(Duration reconcileEvery, Duration budget, Duration lease) {
      return new Settings(manifest, home, port, reconcileEvery, budget, lease, backupCheckEvery);
    }

    /** The same, looking for due backups and restore tests every {@code every}. */
    public Settings withBackupCheckEvery(Duration every) {
      return new Settings(manifest, home, port, reconcileEvery, budget, lease, every);
    }
  }
}
