package dev.rollgate.core.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks the manifest's secret references against the schemes the installed resolvers read ({@code
 * env:}, {@code file:}, and whatever adapters register), at startup. A value whose scheme nobody
 * reads is most likely the secret itself ({@code postgresql://u:PASSWORD@host/db}), so it is never
 * repeated: messages name where it is, not what it is.
 */
public final class SecretReferences {

  private static final Pattern CREDENTIALS = Pattern.compile("^//[^/@]*@");

  private SecretReferences() {}

  /** Every secret reference of the manifest, by its path in the file. */
  public static Map<String, SecretRef> of(Manifest manifest) {
    Map<String, SecretRef> refs = new LinkedHashMap<>();
    if (manifest.promotion() != null && manifest.promotion().token() != null) {
      refs.put("promotion.token", manifest.promotion().token());
    }
    if (manifest.status().readToken() != null) {
      refs.put("status.read-token", manifest.status().readToken());
    }
    for (WebhookSpec w : manifest.webhooks()) {
      refs.put(webhookPath(w), w.secret());
    }
    for (RegistrySpec r : manifest.registries().values()) {
      if (r.password() != null) {
        refs.put(r.passwordPath(), r.password());
      }
    }
    for (NotificationsSpec.Channel c : manifest.notifications().channels().values()) {
      refs.put("notifications.channels." + c.name() + ".url", c.url());
      if (c.secret() != null) {
        refs.put("notifications.channels." + c.name() + ".secret", c.secret());
      }
    }
    for (int i = 0; i < manifest.apps().size(); i++) {
      AppSpec app = manifest.apps().get(i);
      for (EnvironmentSpec env : app.environments()) {
        String path = "apps[" + i + "].environments." + env.name();
        MigrationSpec m = env.migrations();
        if (m != null && m.database() != null) {
          refs.put(path + ".migrations." + m.tool() + ".database", m.database());
        }
        if (env.backup() != null && env.backup().database() != null) {
          refs.put(path + ".backup.database", env.backup().database());
        }
        if (env.canary() != null
            && env.canary().analysis().prometheus() != null
            && env.canary().analysis().prometheus().bearerToken() != null) {
          PrometheusSpec p = env.canary().analysis().prometheus();
          refs.put(p.path() + ".bearer-token", p.bearerToken());
        }
      }
    }
    return refs;
  }

  /** One problem per reference whose scheme no installed resolver reads; no value repeated. */
  public static List<String> problems(Manifest manifest, Set<String> schemes) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, SecretRef> e : of(manifest).entrySet()) {
      if (!isReference(e.getValue(), schemes)) {
        problems.add(notAReference(e.getKey(), schemes));
      }
    }
    return problems;
  }

  /**
   * True when {@code ref} is a reference an installed resolver reads, and so safe to print; a URL
   * with credentials is a literal even under a known scheme ({@code env://user:pw@host}).
   */
  public static boolean isReference(SecretRef ref, Set<String> schemes) {
    return schemes.contains(ref.scheme()) && !CREDENTIALS.matcher(ref.name()).find();
  }

  /** The words for a value that is no reference rollgate can read, without the value. */
  public static String notAReference(String path, Set<String> schemes) {
    return "the value at "
        + path
        + " is not a secret reference (scheme:name) with a known scheme ("
        + String.join(", ", new TreeSet<>(schemes))
        + "); it looks like a literal secret: keep the secret out of rollgate.yaml and name it,"
        + " e.g. env:NAME";
  }

  /** The path of a webhook's secret. */
  public static String webhookPath(WebhookSpec w) {
    return "webhooks." + w.name() + ".secret";
  }
}
