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

  /**
   * {@code GcpEmulator [--port P]}: serves until stopped, after printing the environment to use.
   * The Cloud Storage fake speaks HTTP (the JSON API), so it listens on the next port, P+1.
   */
  public static void main(String[] args) throws Exception {
    int port = 8086;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else {
        System.err.println("usage: emulate gcp [--port P]");
        System.exit(64);
      }
    }
    GcpEmulator emulator = onPort(port);
    StorageFake storage = StorageFake.onPort(port == 0 ? 0 : port + 1);
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
}
