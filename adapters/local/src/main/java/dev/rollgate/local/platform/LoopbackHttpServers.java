package dev.rollgate.local.platform;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The JDK HTTP servers of the local host and of the stable URLs, with a bound on how long a client
 * may take to send a request: a client still sending its headers or body {@link #READ_TIME} after
 * it started is disconnected, so that slow clients cannot hold the workers.
 */
public final class LoopbackHttpServers {

  /** How long a client may take to send one request's headers and body. */
  public static final Duration READ_TIME = Duration.ofSeconds(10);

  // The JDK's server reads these once, when its first server starts; set them before that.
  private static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
  private static final String TIMER_MILLIS = "sun.net.httpserver.timerMillis";

  static {
    if (System.getProperty(MAX_REQ_TIME) == null) {
      System.setProperty(MAX_REQ_TIME, Long.toString(READ_TIME.toSeconds()));
    }
    if (System.getProperty(TIMER_MILLIS) == null) {
      System.setProperty(TIMER_MILLIS, "1000");
    }
  }

  private LoopbackHttpServers() {}

  /** A server bound to {@code address}, not started yet. */
  public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
    return HttpServer.create(address, backlog);
  }
}
