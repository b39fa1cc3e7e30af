package dev.rollgate.gcp.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A fake of the Cloud Storage JSON API v1 over HTTP, for google-cloud-storage's HTTP transport
 * ({@code StorageOptions.http().setHost("http://127.0.0.1:P")}) and anything else that speaks the
 * JSON API (other languages' clients read {@code STORAGE_EMULATOR_HOST}). Routes and shapes follow
 * Google's published reference, cloud.google.com/storage/docs/json_api/v1: buckets.insert and
 * buckets.get; objects.insert ({@code /upload/storage/v1/b/B/o} with {@code uploadType=media},
 * {@code multipart} and {@code resumable}, cloud.google.com/storage/docs/uploads-downloads and
 * .../performing-resumable-uploads), objects.get (metadata, or the bytes with {@code alt=media} and
 * an optional {@code Range}), objects.list ({@code prefix}, {@code delimiter}, {@code maxResults},
 * {@code pageToken}) and objects.delete; errors as Google's error JSON (.../json_api/v1/
 * status-codes). Objects live in memory ({@link StorageFakeBuckets}).
 */
public final class StorageFake implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final StorageFakeBuckets buckets = new StorageFakeBuckets();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private StorageFake(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves the fake on {@code 127.0.0.1:port} (0: any free port). */
  public static StorageFake onPort(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    ExecutorService executor = Executors.newFixedThreadPool(4);
    StorageFake fake = new StorageFake(server, executor);
    server.createContext("/", fake::handle);
    server.setExecutor(executor);
    server.start();
    return fake;
  }

  /** {@code http://127.0.0.1:port}: what {@code STORAGE_EMULATOR_HOST} is set to. */
  public String host() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Each request seen, as {@code METHOD path?query [Content-Range: r]}, oldest first. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** The next resumable upload PUT is cut off after {@code bytes} bytes, with a 503. */
  public void interruptNextUploadAfter(long bytes) {
    buckets.interruptNextChunk(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange x) throws IOException {
    StorageFakeBuckets.Answer answer;
    try {
      String path = x.getRequestURI().getRawPath();
      if (path.startsWith("/download/storage/v1/")) {
        path = path.substring("/download".length()); // media downloads' own path prefix
      }
      Map<String, String> query = query(x.getRequestURI().getRawQuery());
      String range = x.getRequestHeaders().getFirst("Content-Range");
      requests.add(
          x.getRequestMethod()
              + " "
              + x.getRequestURI()
              + (range == null ? "" : " Content-Range: " + range));
      answer = route(x, path, query);
    } catch (IOException | RuntimeException e) {
      answer = StorageFakeBuckets.error(400, "invalid", "fake: cannot read the request: " + e);
    }
    try (x) {
      send(x, answer);
    }
  }

  private StorageFakeBuckets.Answer route(HttpExchange x, String path, Map<String, String> q)
      throws IOException {
    String method = x.getRequestMethod();
    String[] p = path.split("/", -1);
    // /storage/v1/b[/B[/o[/OBJECT]]] and /upload/storage/v1/b/B/o
    if (path.startsWith("/upload/storage/v1/b/") && p.length == 7 && p[6].equals("o")) {
      String bucket = decode(p[5]);
      byte[] body = body(x);
      String type = q.getOrDefault("uploadType", "media");
      if (method.equals("POST") && type.equals("media")) {
        return buckets.insert(bucket, q.get("name"), null, body);
      }
      if (method.equals("POST") && type.equals("multipart")) {
        StorageFakeMultipart.Parts parts =
            StorageFakeMultipart.parse(x.getRequestHeaders().getFirst("Content-Type"), body);
        ObjectNode meta = (ObjectNode) JSON.readTree(parts.metadata());
        return buckets.insert(bucket, q.get("name"), meta, parts.media());
      }
      if (method.equals("POST") && type.equals("resumable")) {
        ObjectNode meta =
            body.length == 0 ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
        String base = "http://" + x.getRequestHeaders().getFirst("Host") + path;
        return buckets.startResumable(bucket, q.get("name"), meta, base);
      }
      if (method.equals("PUT") && type.equals("resumable") && q.containsKey("upload_id")) {
        return buckets.putChunk(
            q.get("upload_id"), x.getRequestHeaders().getFirst("Content-Range"), body);
      }
      return StorageFakeBuckets.error(400, "invalid", "Unsupported upload: " + method + " " + type);
    }
    if (!path.startsWith("/storage/v1/b")) {
      return StorageFakeBuckets.error(404, "notFound", "Not Found");
    }
    if (p.length == 4 && method.equals("POST")) {
      return buckets.createBucket(JSON.readTree(body(x)));
    }
    if (p.length == 5 && method.equals("GET")) {
      return buckets.getBucket(decode(p[4]));
    }
    if (p.length == 6 && p[5].equals("o") && method.equals("GET")) {
      return buckets.list(
          decode(p[4]),
          q.getOrDefault("prefix", ""),
          q.get("delimiter"),
          q.get("pageToken"),
          Integer.parseInt(q.getOrDefault("maxResults", "1000")));
    }
    if (p.length == 7 && p[5].equals("o")) {
      String bucket = decode(p[4]);
      String object = decode(p[6]);
      Long generation = q.containsKey("generation") ? Long.valueOf(q.get("generation")) : null;
      if (method.equals("GET") && "media".equals(q.get("alt"))) {
        return buckets.media(bucket, object, generation, x.getRequestHeaders().getFirst("Range"));
      }
      if (method.equals("GET")) {
        return buckets.metadata(bucket, object, generation);
      }
      if (method.equals("DELETE")) {
        return buckets.delete(bucket, object);
      }
    }
    return StorageFakeBuckets.error(400, "invalid", "Unsupported: " + method + " " + path);
  }

  /**
   * The request's body; google-http-client gzips JSON bodies ({@code Content-Encoding: gzip}),
   * which Google's APIs accept.
   */
  private static byte[] body(HttpExchange x) throws IOException {
    String encoding = x.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
      try (InputStream in = new GZIPInputStream(x.getRequestBody())) {
        return in.readAllBytes();
      }
    }
    return x.getRequestBody().readAllBytes();
  }

  private static void send(HttpExchange x, StorageFakeBuckets.Answer a) throws IOException {
    a.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
    byte[] body = a.body() == null ? new byte[0] : a.body();
    if (!a.headers().containsKey("Content-Type") && a.body() != null) {
      x.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    }
    boolean empty = body.length == 0 || x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(a.status(), empty ? -1 : body.length);
    if (!empty) {
      x.getResponseBody().write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      q.put(
          decode(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return q;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
