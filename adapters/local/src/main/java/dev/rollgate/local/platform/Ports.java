package dev.rollgate.local.platform;

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
