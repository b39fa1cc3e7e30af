package dev.rollgate.azure;

import com.azure.resourcemanager.appcontainers.models.BaseContainer;
import dev.rollgate.core.port.PlatformException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Revision names from deployments. Container Apps names a revision {@code <app>--<suffix>};
 * rollgate sets the suffix ({@code template.revisionSuffix}) from the deployment id, starting
 * {@value #PREFIX}: a retried rollout of one deployment finds its revision instead of making a
 * second, and every deployment, even of an image already deployed, gets a revision of its own.
 */
final class RevisionSuffixes {

  /** How every suffix rollgate makes starts: how rollgate knows its own revisions. */
  static final String PREFIX = "rg-";

  /**
   * A conservative bound on {@code <app>--<suffix>}: suffixes are lower-case letters, digits and
   * '-', and together with the app's name must stay short.
   */
  static final int MAX_NAME = 54;

  private RevisionSuffixes() {}

  /**
   * {@code rg-<id>}, lower case, characters outside {@code [a-z0-9-]} and repeated '-' replaced;
   * when that changed the id or makes the name too long, the id is cut and followed by 8 hex digits
   * of its SHA-256, so that distinct ids keep distinct suffixes.
   */
  static String suffix(String app, String deploymentId) {
    String id = deploymentId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    id = id.replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
    int room = MAX_NAME - app.length() - 2 - PREFIX.length();
    if (id.isEmpty() || !id.equals(deploymentId) || id.length() > room) {
      String hash = sha256(deploymentId).substring(0, 8);
      String cut =
          id.substring(0, Math.max(0, Math.min(id.length(), room - 9))).replaceAll("-$", "");
      id = (cut.isEmpty() ? "" : cut + "-") + hash;
    }
    return PREFIX + id;
  }

  /** {@code <app>--<suffix>}. */
  static String revisionName(String app, String deploymentId) {
    return app + "--" + suffix(app, deploymentId);
  }

  /** Whether rollgate made {@code revision} of {@code app}. */
  static boolean rollgates(String app, String revision) {
    return revision != null && revision.startsWith(app + "--" + PREFIX);
  }

  /** The container a release changes: the named one, or the only one. */
  static int containerIndex(List<? extends BaseContainer> containers, String named, String where)
      throws PlatformException {
    if (containers == null || containers.isEmpty()) {
      throw new PlatformException("azure: " + where + " has no containers in its template", false);
    }
    if (named == null) {
      if (containers.size() == 1) {
        return 0;
      }
      throw new PlatformException(
          "azure: %s has %d containers (%s); name the one a release changes in target.container"
              .formatted(where, containers.size(), names(containers)),
          false);
    }
    for (int i = 0; i < containers.size(); i++) {
      if (named.equals(containers.get(i).name())) {
        return i;
      }
    }
    throw new PlatformException(
        "azure: %s has no container named '%s' (target.container); it has %s"
            .formatted(where, named, names(containers)),
        false);
  }

  private static String names(List<? extends BaseContainer> containers) {
    return containers.stream().map(c -> "'" + c.name() + "'").toList().toString();
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
