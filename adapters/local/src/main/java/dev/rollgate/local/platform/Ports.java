package dev.rollgate.local.platform;

import dev.rollgate.core.port.PlatformException;
import dev.rollgate.local.platform.ServiceRecord.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.IntPredicate;

/** Loopback port checks for the local platform. */
final class Ports {

  private Ports() {}

  /**
   * A port that is free now and not {@code taken} (ports handed out earlier but not bound yet); the
   * OS rarely hands out the same ephemeral port twice in a row, so a few tries suffice.
   */
  static int free(IntPredicate taken) throws IOException {
    int port = 0;
    for (int attempt = 0; attempt < 10 && (port == 0 || taken.test(port)); attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
    }
    return port;
  }

  /** A free port that neither the stable URL nor a running revision of {@code rec} uses. */
  static int freeFor(String service, ServiceRecord rec) throws PlatformException {
    try {
      return free(
          p ->
              rec != null
                  && (p == rec.stablePort()
                      || rec.revisions().stream()
                          .anyMatch(r -> r.status() == Status.RUNNING && r.port() == p)));
    } catch (IOException e) {
      throw new PlatformException(
          "local:" + service + ": no free loopback port: " + e.getMessage(), true, e);
    }
  }

  /** Whether nothing listens on {@code port} now. */
  static boolean bindable(int port) {
    try {
      new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether something accepts TCP connections on {@code port}. */
  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 250);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
