import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The walkthrough's stand-in for the app's own health endpoint (the ARM fake runs no containers):
 * {@code java HealthServer.java PORT} answers 200 "ok" to GET /health on 127.0.0.1:PORT until
 * stopped. A single-file program: the JDK runs it from source, nothing to build.
 */
public final class HealthServer {
  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
    server.createContext(
        "/health",
        exchange -> {
          byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    server.start();
    System.out.println("health on http://127.0.0.1:" + args[0] + "/health");
  }
}
