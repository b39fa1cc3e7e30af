package dev.rollgate.gcp.emulator;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * rollgate's Google Cloud fake ({@code scripts/rollgate emulate gcp}): the fakes of the APIs the
 * gcp adapter calls, served on plaintext gRPC as Google's own emulators are, so that Google's
 * clients in any language work against it unchanged. Tests serve the same services in-process.
 */
public final class GcpEmulator implements AutoCloseable {

  private final Server server;
  private final String inProcessName;

  private GcpEmulator(Server server, String inProcessName) {
    this.server = server;
    this.inProcessName = inProcessName;
  }

  /** The services of every fake, sharing nothing but the process. */
  static List<BindableService> services() {
    List<BindableService> services = new ArrayList<>();
    // Each fake adds its services here (Cloud Run, Secret Manager, ...).
    services.add(new SecretManagerFake());
    services.addAll(new CloudRunFake().services());
    return services;
  }

  /** Serves the fakes on {@code 127.0.0.1:port} (0: any free port). */
  public static GcpEmulator onPort(int port) throws IOException {
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    services().forEach(b::addService);
    return new GcpEmulator(b.build().start(), null);
  }

  /** Serves the fakes in-process under {@code name} (for tests; no port). */
  public static GcpEmulator inProcess(String name) throws IOException {
    InProcessServerBuilder b = InProcessServerBuilder.forName(name).directExecutor();
    services().forEach(b::addService);
    return new GcpEmulator(b.build().start(), name);
  }

  /** {@code 127.0.0.1:port}, what {@code ROLLGATE_GCP_EMULATOR_HOST} is set to. */
  public String host() {
    if (inProcessName != null) {
      throw new IllegalStateException(
          "served in-process as '" + inProcessName + "', not on a port");
    }
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }

  static final String USAGE =
      String.join(
          "\n",
          "usage: scripts/rollgate emulate gcp [--port P]",
          "  Serves rollgate's Google Cloud fake until stopped: Cloud Run Admin API v2 and Secret"
              + " Manager on",
          "  plaintext gRPC at 127.0.0.1:P (default 8086), Cloud Storage's JSON API at"
              + " http://127.0.0.1:P+1.",
          "  First prints the environment to use, one 'export NAME=value' line each"
              + " (ROLLGATE_GCP_EMULATOR_HOST,",
          "  STORAGE_EMULATOR_HOST): run them in the shell that runs rollgate.",
          "  Set it up with the API's own create calls, e.g.:",
          "    scripts/rollgate emulate gcp create-service --project P --region R --service S",
          "    scripts/rollgate emulate gcp create-job --project P --region R --job J --command C",
          "    scripts/rollgate emulate gcp describe-service --project P --region R --service S",
          "  Digests starting sha256:bad play a revision that never becomes healthy;"
              + " sha256:bad10b (or",
          "  sha256:badjob) a job whose tasks exit 1.");

  /**
   * {@code GcpEmulator [--port P]}: serves until stopped, after printing the environment to use.
   * The Cloud Storage fake speaks HTTP (the JSON API), so it listens on the next port, P+1.
   */
  public static void main(String[] args) throws Exception {
    int port = 8086;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-h") || args[i].equals("--help")) {
        System.out.println(USAGE);
        return;
      } else if (args[i].equals("--port") && i + 1 < args.length) {
        port = port(args[++i]);
      } else if (args[i].startsWith("--port=")) {
        port = port(args[i].substring("--port=".length()));
      } else {
        usage(
            args[i].equals("--port")
                ? "emulate gcp: --port needs a port number"
                : "emulate gcp: unknown option '" + args[i] + "'");
      }
    }
    GcpEmulator emulator;
    StorageFake storage;
    try {
      emulator = onPort(port);
    } catch (IOException e) {
      usage(inUse(port, "gRPC (Cloud Run, Secret Manager)", e));
      return;
    }
    try {
      storage = StorageFake.onPort(port == 0 ? 0 : port + 1);
    } catch (IOException e) {
      emulator.close();
      usage(inUse(port + 1, "Cloud Storage (HTTP), always --port + 1", e));
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(storage::close));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    emulator.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    System.out.println("export ROLLGATE_GCP_EMULATOR_HOST=" + emulator.host());
    System.out.println("export STORAGE_EMULATOR_HOST=" + storage.host());
    System.out.flush();
    emulator.server.awaitTermination();
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65534) {
        return port;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    usage("emulate gcp: --port: not a port number: '" + value + "'; e.g. --port 8086");
    return -1;
  }

  private static String inUse(int port, String what, IOException e) {
    return "emulate gcp: cannot listen on 127.0.0.1:%d for %s: %s; stop what uses it (another"
            .formatted(
                port, what, e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
        + " emulator?) or pick another port with --port P";
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(USAGE);
    System.exit(64);
  }
}
