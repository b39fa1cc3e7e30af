package dev.rollgate.gcp;

import com.google.cloud.storage.StorageException;

/**
 * Cloud Storage's answers as messages that name what was done and the fix. The client has already
 * retried what Google documents as retryable (429, 5xx, lost connections) when one reaches here.
 */
final class GcsFaults {

  private GcsFaults() {}

  /** True when Cloud Storage said the object or bucket does not exist. */
  static boolean notFound(StorageException e) {
    return e.getCode() == 404;
  }

  /**
   * {@code what} failed: why, in Cloud Storage's words (code and reason), and what to do.
   *
   * @param fix what to do when the object or bucket is missing
   */
  static String describe(StorageException e, String what, String fix) {
    int code = e.getCode();
    String said = " (" + (code == 0 ? "no answer" : "HTTP " + code) + reason(e) + ")";
    if (code == 404) {
      return what + ": not found" + said + "; " + fix;
    }
    if (code == 403) {
      return what
          + ": access denied"
          + said
          + "; grant the function's service account roles/storage.objectViewer on the bucket"
          + " (roles/storage.objectAdmin to write backups)";
    }
    if (code == 401) {
      return what
          + ": credentials refused"
          + said
          + "; run with Application Default Credentials (the function's service account, or"
          + " gcloud auth application-default login)";
    }
    if (code == 0 || code == 408 || code == 429 || code >= 500) {
      return what + ": Cloud Storage did not answer" + said + " after retries; try again later";
    }
    return what + ": Cloud Storage refused" + said + ": " + e.getMessage();
  }

  private static String reason(StorageException e) {
    return e.getReason() == null || e.getReason().isBlank() ? "" : " " + e.getReason();
  }
}
