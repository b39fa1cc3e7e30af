package dev.rollgate.azure.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rollgate.azure.emulator.ArmFaults.Kind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake of Azure Resource Manager's Microsoft.App provider (api-version 2025-01-01, what
 * azure-resourcemanager-appcontainers 1.1.0 sends) over HTTPS with a certificate of its own ({@link
 * ArmCertificate}), for Azure's real SDK with its real bearer-token policy: any bearer token is
 * accepted, a request without one is refused 401. Served: containerApps GET/PUT/PATCH, revisions
 * list/get/activate/deactivate, jobs GET/PUT/PATCH, start, executions list/get/stop, and the
 * asynchronous operations ({@link ArmOperations}). The apps' and jobs' behaviour is in {@link
 * ArmApps} and {@link ArmJobs}; faults on request in {@link ArmFaults}. On the same port, Key
 * Vault's secrets ({@link KeyVaultSecrets}, {@code /secrets/...}), with Key Vault's challenge.
 */
public final class ArmFake implements AutoCloseable {

  /** The api-version Microsoft.App's SDK 1.1.0 speaks. */
  public static final String API_VERSION = "2025-01-01";

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ArmCertificate certificate;
  final ArmApps apps = new ArmApps();
  final ArmJobs jobs = new ArmJobs();
  final ArmOperations operations = new ArmOperations();
  private final ArmFaults faults = new ArmFaults();
  private final KeyVaultSecrets secrets;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<String> apiVersions =
      java.util.Collections.synchronizedList(new ArrayList<>());

  private ArmFake(int port) throws IOException, GeneralSecurityException {
    certificate = ArmCertificate.generate();
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
    secrets = new KeyVaultSecrets(endpoint());
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A fake on {@code port} (0: any free port) of 127.0.0.1. */
  public static ArmFake start(int port) throws IOException {
    try {
      return new ArmFake(port);
    } catch (GeneralSecurityException e) {
      throw new IOException("the fake's TLS set-up failed: " + e, e);
    }
  }

  /** {@code https://127.0.0.1:P}: rollgate.azure.endpoint, for ARM and Key Vault. */
  public String endpoint() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The PEM file of the fake's certificate: rollgate.azure.trust-certificate. */
  public Path certificate() {
    return certificate.pem();
  }

  /** Adds a version of Key Vault secret {@code name} holding {@code value}; its version id. */
  public String putSecret(String name, String value, boolean enabled) {
    return secrets.put(name, value, enabled);
  }

  /** Key Vault's requests so far, as {@code METHOD PATH (no token)} or {@code (bearer)}. */
  public List<String> keyVaultRequests() {
    return List.copyOf(secrets.requests);
  }

  public ArmFaults faults() {
    return faults;
  }

  /** How many calls of {@code operationId} arrived (faulted ones included). */
  public int calls(String operationId) {
    AtomicInteger n = calls.get(operationId);
    return n == null ? 0 : n.get();
  }

  /** Every api-version the fake was called with. */
  public List<String> apiVersions() {
    return List.copyOf(apiVersions);
  }

  /** How long a new revision is Provisioning / Activating (default 300ms). */
  public void provisionDelay(java.time.Duration delay) {
    apps.provisionDelay = delay;
  }

  /** New revisions stay Provisioning / Activating while set. */
  public void hangProvisioning(boolean hang) {
    apps.hangProvisioning = hang;
  }

  /** The names of an app's revisions, oldest first. */
  public List<String> revisions(String subscription, String group, String app) {
    ArmApps.App a = apps.get(appId(subscription, group, app), app);
    synchronized (apps) {
      return a.revisions.stream().map(r -> r.name).toList();
    }
  }

  /** A revision as GET answers it. */
  public JsonNode revision(String subscription, String group, String app, String revision) {
    ArmApps.App a = apps.get(appId(subscription, group, app), app);
    synchronized (apps) {
      return apps.view(a, a.revision(revision));
    }
  }

  /** The app as the fake keeps it: secrets' values included, nothing computed. */
  public JsonNode stored(String subscription, String group, String app) {
    ArmApps.App a = apps.get(appId(subscription, group, app), app);
    synchronized (apps) {
      return a.resource.deepCopy();
    }
  }

  /** The app as GET answers it. */
  public JsonNode app(String subscription, String group, String app) {
    return apps.view(apps.get(appId(subscription, group, app), app));
  }

  /** How many executions of {@code job} ran with ROLLGATE_DEPLOYMENT={@code deploymentId}. */
  public int executions(String subscription, String group, String job, String deploymentId) {
    ArmJobs.Job j = jobs.get(jobId(subscription, group, job), job);
    synchronized (jobs) {
      return (int)
          j.executions.stream()
              .filter(
                  e ->
                      e.template
                          .toString()
                          .contains("\"ROLLGATE_DEPLOYMENT\",\"value\":\"" + deploymentId + "\""))
              .count();
    }
  }

  /** The templates executions of {@code job} were started with, oldest first. */
  public List<JsonNode> executionTemplates(String subscription, String group, String job) {
    ArmJobs.Job j = jobs.get(jobId(subscription, group, job), job);
    synchronized (jobs) {
      return j.executions.stream().map(e -> (JsonNode) e.template.deepCopy()).toList();
    }
  }

  static String appId(String subscription, String group, String app) {
    return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.App/containerApps/%s"
        .formatted(subscription, group, app);
  }

  static String jobId(String subscription, String group, String job) {
    return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.App/jobs/%s"
        .formatted(subscription, group, job);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    certificate.delete();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      if (KeyVaultSecrets.serves(x.getRequestURI().getPath())) {
        secrets.handle(x);
        return;
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        // ARM's answer to a call without a token (WWW-Authenticate as ARM sends it).
        x.getResponseHeaders()
            .add(
                "WWW-Authenticate",
                "Bearer authorization_uri=\"https://login.windows.net/\", error=\"invalid_token\"");
        ArmHttp.send(
            x,
            401,
            ArmHttp.error(
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing."));
        return;
      }
      String version = ArmHttp.query(x, "api-version");
      if (version == null) {
        ArmHttp.send(
            x,
            400,
            ArmHttp.error(
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests."));
        return;
      }
      apiVersions.add(version);
      Route route = Route.of(x.getRequestMethod(), x.getRequestURI().getRawPath());
      calls.computeIfAbsent(route.operation, o -> new AtomicInteger()).incrementAndGet();
      Kind fault = faults.take(route.operation);
      if (fault != null && fault != Kind.LOST_ANSWER) {
        ArmHttp.fault(x, fault);
        return;
      }
      Answer answer;
      try {
        answer = new ArmRoutes(this, endpoint()).answer(route, ArmHttp.body(x));
      } catch (ArmError e) {
        answer = new Answer(e.status, ArmHttp.error(e.code, e.getMessage()), Map.of());
      }
      if (fault == Kind.LOST_ANSWER) {
        return; // acted, then closed the connection with no answer
      }
      answer.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
      ArmHttp.send(x, answer.status(), answer.body());
    } catch (RuntimeException e) {
      ArmHttp.send(x, 500, ArmHttp.error("InternalServerError", "the fake failed: " + e));
    }
  }

  /** An answer: status, JSON body (or null), headers. */
  record Answer(int status, JsonNode body, Map<String, String> headers) {}

  /** A request's method, path segments and the spec's operationId for it. */
  record Route(String method, List<String> segments, String operation) {

    static Route of(String method, String rawPath) {
      List<String> s =
          Arrays.stream(rawPath.split("/"))
              .filter(p -> !p.isEmpty())
              .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8))
              .toList();
      return new Route(method, s, ArmRoutes.operation(method, s));
    }

    String at(int i) {
      return i < segments.size() ? segments.get(i) : null;
    }

    String lower(int i) {
      String s = at(i);
      return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
  }
}
