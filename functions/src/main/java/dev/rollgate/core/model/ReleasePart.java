package dev.rollgate.core.model;

import java.util.Objects;

/**
 * One service of a release that several services make together ({@code services:} in the manifest),
 * as the ledger records it.
 *
 * @param service the service's name in the manifest
 * @param image what this service runs in the release, pinned by digest
 * @param state where this part stands: PENDING (not started), VERIFYING, SUCCEEDED, FAILED or
 *     ERRORED (the part that failed), ROLLING_BACK (to be restored), ROLLED_BACK, ROLLBACK_FAILED
 *     or ABORTED (a rollout left in place because nothing served before)
 * @param previousRevision the revision that served before the release, or null
 * @param revision the revision the release rolled out, once issued
 * @param serviceUrl the service's stable URL
 * @param detail the last thing worth telling about this part
 */
public record ReleasePart(
    String service,
    ImageRef image,
    Phase state,
    String previousRevision,
    String revision,
    String serviceUrl,
    String detail) {

  public ReleasePart {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(state, "state");
  }

  /** A part not started yet. */
  public static ReleasePart pending(String service, ImageRef image) {
    return new ReleasePart(service, image, Phase.PENDING, null, null, null, null);
  }

  public ReleasePart withState(Phase next, String why) {
    return new ReleasePart(service, image, next, previousRevision, revision, serviceUrl, why);
  }

  public ReleasePart withServing(String before, String url) {
    return new ReleasePart(service, image, state, before, revision, url, detail);
  }

  public ReleasePart withRevision(String id, String url) {
    return new ReleasePart(service, image, state, previousRevision, id, url, detail);
  }
}
