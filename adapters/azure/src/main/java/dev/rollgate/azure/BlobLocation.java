package dev.rollgate.azure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in Blob Storage: {@code azblob://ACCOUNT/CONTAINER[/PATH]}, or the blob's own URL {@code
 * https://ACCOUNT.blob.core.windows.net/CONTAINER[/PATH]} (any Azure cloud's {@code .blob.}
 * suffix).
 *
 * @param endpoint the account's blob endpoint, e.g. {@code https://acct.blob.core.windows.net}
 * @param path the blob name or prefix inside the container, without a leading slash; may be empty
 */
record BlobLocation(String account, String container, String path, String endpoint) {

  static final String SCHEME = "azblob";

  // Storage account names: 3-24 lowercase letters and digits; containers: 3-63 of a-z, 0-9 and -.
  private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern CONTAINER =
      Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
  private static final Pattern BLOB_HOST = Pattern.compile("([a-z0-9]{3,24})\\.blob\\.(.+)");

  /** True for the forms this class parses (the loader's files and classpath are never). */
  static boolean isBlob(String location) {
    if (location == null) {
      return false;
    }
    String l = location.toLowerCase(Locale.ROOT);
    if (l.startsWith(SCHEME + "://")) {
      return true;
    }
    if (!l.startsWith("https://")) {
      return false;
    }
    String rest = l.substring("https://".length());
    int slash = rest.indexOf('/');
    String host = slash < 0 ? rest : rest.substring(0, slash);
    return BLOB_HOST.matcher(host).matches();
  }

  /**
   * Parses {@code location}.
   *
   * @throws IllegalArgumentException naming the location and showing {@code example}
   */
  static BlobLocation parse(String location, String example) {
    String what =
        "'"
            + location
            + "' is not a Blob Storage location; write e.g. "
            + example
            + " or https://ACCOUNT.blob.core.windows.net/CONTAINER/PATH";
    if (!isBlob(location)) {
      throw new IllegalArgumentException(what);
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + " (" + e.getReason() + ")");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          what + " (no query or fragment: a SAS token does not belong in rollgate's settings)");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    path = path.startsWith("/") ? path.substring(1) : path;
    String account;
    String endpoint;
    if (uri.getScheme().equalsIgnoreCase(SCHEME)) {
      account = uri.getHost();
      endpoint = account == null ? null : "https://" + account + ".blob.core.windows.net";
    } else {
      Matcher host = BLOB_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT));
      account = host.matches() ? host.group(1) : null;
      endpoint = "https://" + uri.getHost().toLowerCase(Locale.ROOT);
    }
    if (account == null || !ACCOUNT.matcher(account).matches()) {
      throw new IllegalArgumentException(
          what + " (the storage account must be 3-24 lowercase letters and digits)");
    }
    int slash = path.indexOf('/');
    String container = slash < 0 ? path : path.substring(0, slash);
    if (!CONTAINER.matcher(container).matches()) {
      throw new IllegalArgumentException(
          what + " (the container must be 3-63 lowercase letters, digits and single hyphens)");
    }
    return new BlobLocation(
        account, container, slash < 0 ? "" : path.substring(slash + 1), endpoint);
  }

  /** The location as {@code azblob://account/container/path}, for messages. */
  String describe(String name) {
    return SCHEME + "://" + account + "/" + container + "/" + name;
  }
}
