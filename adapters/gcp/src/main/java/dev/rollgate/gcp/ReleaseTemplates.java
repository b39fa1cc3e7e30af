package dev.rollgate.gcp;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.RevisionTemplate;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A release's revision template: the serving template with the one container's image replaced by
 * the release's, pinned by digest, and the revision named from the deployment; every other field
 * (env, secrets, service account, scaling, probes, VPC access, labels, annotations, volumes, the
 * other containers) is carried over as it is.
 */
final class ReleaseTemplates {

  /**
   * Template label that marks a service's first revision as a placeholder (infrastructure code
   * creates the service with some image before rollgate deploys): such a service serves nothing
   * rollgate knows. A release's template drops it, and changes nothing else but the image.
   */
  static final String PLACEHOLDER_LABEL = "rollgate-placeholder";

  private static final int MAX_NAME = 63;

  private ReleaseTemplates() {}

  /**
   * The revision name for {@code deploymentId}: {@code <service>-<id>}, lower case, the id's
   * characters outside {@code [a-z0-9-]} replaced; when that is longer than 63 characters, the id
   * is cut and followed by 8 hex digits of its SHA-256, so distinct ids keep distinct names.
   */
  static String revisionName(String service, String deploymentId) {
    String id = deploymentId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    id = id.replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
    String name = service + "-" + id;
    if (id.isEmpty() || !id.equals(deploymentId) || name.length() > MAX_NAME) {
      String hash = sha256(deploymentId).substring(0, 8);
      int room = MAX_NAME - service.length() - hash.length() - 2;
      String cut = id.substring(0, Math.max(0, Math.min(id.length(), room))).replaceAll("-$", "");
      name = service + "-" + (cut.isEmpty() ? "" : cut + "-") + hash;
    }
    return name;
  }

  /** The container a release changes: the named one, or the only one. */
  static int containerIndex(List<Container> containers, String named, String where)
      throws PlatformException {
    if (named == null) {
      if (containers.size() == 1) {
        return 0;
      }
      throw new PlatformException(
          "gcp: %s has %d containers (%s); name the one a release changes in target.container"
              .formatted(where, containers.size(), names(containers)),
          false);
    }
    for (int i = 0; i < containers.size(); i++) {
      if (named.equals(containers.get(i).getName())) {
        return i;
      }
    }
    throw new PlatformException(
        "gcp: %s has no container named '%s' (target.container); it has %s"
            .formatted(where, named, names(containers)),
        false);
  }

  /** {@code serving} with {@code image} in the container, named {@code revision}. */
  static RevisionTemplate release(
      RevisionTemplate serving, int container, String revision, ImageRef image) {
    RevisionTemplate.Builder b = serving.toBuilder().setRevision(revision);
    b.removeLabels(PLACEHOLDER_LABEL);
    b.setContainers(
        container, serving.getContainers(container).toBuilder().setImage(image.pinned()));
    return b.build();
  }

  private static String names(List<Container> containers) {
    return containers.stream()
        .map(c -> c.getName().isEmpty() ? "(unnamed)" : "'" + c.getName() + "'")
        .toList()
        .toString();
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
