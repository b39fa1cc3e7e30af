package dev.rollgate.gcp;

/**
 * {@code gs://bucket/path}: a bucket and an object name (or prefix), checked against Cloud
 * Storage's naming rules for buckets (3-63 characters of lower-case letters, digits, dots, dashes
 * and underscores, or up to 222 with dots; cloud.google.com/storage/docs/buckets#naming).
 */
record GcsLocation(String bucket, String path) {

  static final String PREFIX = "gs://";

  private static final String BUCKET = "[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]";

  static boolean isGs(String location) {
    return location != null && location.startsWith(PREFIX);
  }

  /**
   * Parses {@code gs://bucket[/path]} ({@code path} may be empty).
   *
   * @throws IllegalArgumentException naming {@code location} and the expected form {@code example}
   */
  static GcsLocation parse(String location, String example) {
    if (!isGs(location)) {
      throw new IllegalArgumentException(
          "not a gs:// location: '" + location + "'; write e.g. " + example);
    }
    String rest = location.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (!bucket.matches(BUCKET)) {
      throw new IllegalArgumentException(
          "'"
              + location
              + "' does not name a valid bucket ('"
              + bucket
              + "': 3-63 lower-case letters, digits, '-', '_' or '.'); write e.g. "
              + example);
    }
    return new GcsLocation(bucket, slash < 0 ? "" : rest.substring(slash + 1));
  }

  @Override
  public String toString() {
    return PREFIX + bucket + "/" + path;
  }
}
