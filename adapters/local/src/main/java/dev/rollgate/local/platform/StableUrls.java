package dev.rollgate.local.platform;

import dev.rollgate.core.port.PlatformException;
import dev.rollgate.local.platform.StableProxy.Backend;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The stable URLs this host serves: one proxy per service, started on the service's first use. */
final class StableUrls {

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Map<String, StableProxy> proxies = new ConcurrentHashMap<>();

  static String url(ServiceRecord rec) {
    return "http://127.0.0.1:" + rec.stablePort();
  }

  static Backend backend(ServiceRecord rec, String id) {
    return id == null
        ? null
        : rec.revision(id).map(r -> new Backend(r.id(), r.port())).orElse(null);
  }

  /** Makes sure the stable URL of {@code rec} is up: after a restart of the host it is not yet. */
  ServiceRecord ensure(ServiceRecord rec) throws PlatformException {
    StableProxy current = proxies.get(rec.service());
    if (current == null || current.port() != rec.stablePort()) {
      route(rec, null);
    }
    return rec;
  }

  /**
   * Routes to the serving revision of {@code rec} (while it refuses connections, to before), and
   * {@code rec.canaryShare()} percent of the requests to its canary.
   */
  void route(ServiceRecord rec, Backend before) throws PlatformException {
    StableProxy proxy = proxy(rec);
    proxy.route(backend(rec, rec.serving()), before);
    proxy.split(rec.canaryShare() > 0 ? backend(rec, rec.canary()) : null, rec.canaryShare());
  }

  void stopAll() {
    proxies.values().forEach(StableProxy::stop);
    proxies.clear();
  }

  private synchronized StableProxy proxy(ServiceRecord rec) throws PlatformException {
    StableProxy current = proxies.get(rec.service());
    if (current != null && current.port() == rec.stablePort()) {
      return current;
    }
    if (current != null) {
      current.stop();
    }
    StableProxy proxy = new StableProxy(rec.service(), rec.stablePort(), client);
    try {
      proxy.start();
    } catch (IOException e) {
      throw new PlatformException(
          "local:"
              + rec.service()
              + ": cannot serve the stable URL on 127.0.0.1:"
              + rec.stablePort()
              + " ("
              + e.getMessage()
              + "); is another rollgate host running on this state directory? Stop it, or set"
              + " target.port to a free port",
          true,
          e);
    }
    proxies.put(rec.service(), proxy);
    return proxy;
  }
}
