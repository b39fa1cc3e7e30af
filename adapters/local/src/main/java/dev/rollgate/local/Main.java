package dev.rollgate.local;

import dev.rollgate.core.manifest.ManifestException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code rollgate-local}: starts the local host. Options (or environment variables): {@code
 * --manifest} (ROLLGATE_MANIFEST), {@code --home} (ROLLGATE_HOME), {@code --port} (ROLLGATE_PORT),
 * {@code --reconcile-every}, {@code --lease}, {@code --budget} (ISO-8601 durations or 500ms/2s/1m).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    LocalHost.Settings d = LocalHost.Settings.defaults();
    String manifest = env("ROLLGATE_MANIFEST", d.manifest());
    String home = env("ROLLGATE_HOME", d.home());
    String port = env("ROLLGATE_PORT", String.valueOf(d.port()));
    Duration reconcile = d.reconcileEvery();
    Duration lease = d.lease();
    Duration budget = d.budget();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        usage("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--manifest" -> manifest = v;
        case "--home" -> home = v;
        case "--port" -> port = v;
        case "--reconcile-every" -> reconcile = duration(a, v);
        case "--lease" -> lease = duration(a, v);
        case "--budget" -> budget = duration(a, v);
        default -> usage("unknown option " + a);
      }
    }
    int portNumber;
    try {
      portNumber = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      usage("--port: not a number: '" + port + "'");
      return;
    }
    LocalHost host;
    try {
      host =
          LocalHost.start(
              LocalHost.Settings.of(manifest, home, portNumber)
                  .withTimings(reconcile, budget, lease));
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof ManifestException)) {
        cause = cause.getCause();
      }
      System.err.println(
          "rollgate: cannot start: " + (cause != null ? cause.getMessage() : rootMessage(e)));
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  host.close();
                  stopped.countDown();
                }));
    System.out.println(
        "rollgate local host: http://127.0.0.1:"
            + host.port()
            + " (manifest "
            + manifest
            + ", state in "
            + home
            + ")");
    System.out.flush();
    stopped.await();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  private static Duration duration(String option, String v) {
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.parse(v);
    } catch (NumberFormatException | DateTimeParseException e) {
      usage(option + ": not a duration (500ms, 2s, 1m, PT1M): '" + v + "'");
      return null;
    }
  }

  private static void usage(String problem) {
    System.err.println("rollgate-local: " + problem);
    System.err.println(
        "usage: rollgate-local [--manifest rollgate.yaml] [--home .rollgate] [--port 8787]"
            + " [--reconcile-every 2s] [--lease 15s] [--budget 5m]");
    System.exit(2);
  }
}
