package dev.rollgate.local.platform;

import dev.rollgate.core.model.ImageRef;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The environment a revision's process starts with, and nothing else of the host's: deployed code
 * must not read the host's promotion token, webhook secrets or cloud credentials.
 *
 * <ul>
 *   <li>from the host, only {@link #INHERITED} (those that are set);
 *   <li>from rollgate: {@code PORT} (the revision's own port), {@code ROLLGATE_REVISION} and {@code
 *       ROLLGATE_IMAGE} (the pinned image reference);
 *   <li>from the manifest: {@code target.env}, literal values, which may replace an inherited one.
 * </ul>
 */
final class RevisionEnvironment {

  /** The host's variables a revision inherits, when set. */
  static final List<String> INHERITED =
      List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME");

  /** What {@code target.env} names must look like. */
  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private RevisionEnvironment() {}

  /** Whether rollgate sets {@code name} itself, so that the manifest may not. */
  static boolean reserved(String name) {
    return name.equals("PORT") || name.startsWith("ROLLGATE_");
  }

  /**
   * A migration job's environment: the same stated host variables and {@code target.env} as a
   * revision, then the job's own {@code env}; rollgate adds {@code ROLLGATE_DEPLOYMENT} and {@code
   * ROLLGATE_IMAGE} (no port: a job serves nothing).
   */
  static Map<String, String> forJob(
      Map<String, String> host,
      Map<String, String> target,
      Map<String, String> job,
      String deploymentId,
      ImageRef image) {
    Map<String, String> env = new TreeMap<>();
    for (String name : INHERITED) {
      String value = host.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    target.forEach((name, value) -> put(env, name, value));
    job.forEach((name, value) -> put(env, name, value));
    env.put("ROLLGATE_DEPLOYMENT", deploymentId);
    env.put("ROLLGATE_IMAGE", image.pinned());
    return env;
  }

  private static void put(Map<String, String> env, String name, String value) {
    if (!reserved(name)) {
      env.put(name, value);
    }
  }

  static Map<String, String> of(
      Map<String, String> host,
      Map<String, String> manifest,
      int port,
      String revision,
      ImageRef image) {
    Map<String, String> env = new TreeMap<>();
    for (String name : INHERITED) {
      String value = host.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    manifest.forEach(
        (name, value) -> {
          if (!reserved(name)) {
            env.put(name, value);
          }
        });
    env.put("PORT", Integer.toString(port));
    env.put("ROLLGATE_REVISION", revision);
    env.put("ROLLGATE_IMAGE", image.pinned());
    return env;
  }
}
