package dev.rollgate.local.platform;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The JDK HTTP servers of the local host and of the stable URLs, with a bound on how long a client
 * may take to send a request: a client still sending its headers or body {@link #READ_TIME} after
 * it started is disconnected, so that slow clients cannot hold the workers; answers are sent with
 * TCP_NODELAY. Every JDK server of the process must be made here: the first one fixes the settings.
 */
public final class LoopbackHttpServers {

  /** How long a client may take to send one request's headers and body. */
  public static final Duration READ_TIME = Duration.ofSeconds(10);

  // The JDK's server reads these once, when its first server starts; set them before that.
  private static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
  private static final String TIMER_MILLIS = "sun.net.httpserver.timerMillis";
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(MAX_REQ_TIME) == null) {
      System.setProperty(MAX_REQ_TIME, Long.toString(READ_TIME.toSeconds()));
    }
    if (System.getProperty(TIMER_MILLIS) == null) {
      System.setProperty(TIMER_MILLIS, "1000");
    }
    // The server writes an answer's headers and body apart; with Nagle's algorithm on, the body
    // waits for the client's delayed ACK: 40 ms and more on every status (scripts/bench status).
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private LoopbackHttpServers() {}

  /** A server bound to {@code address}, not started yet. */
  public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
    return HttpServer.create(address, backlog);
  }
}
