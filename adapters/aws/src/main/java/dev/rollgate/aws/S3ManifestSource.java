package dev.rollgate.aws;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.ManifestSource;
import dev.rollgate.core.port.PlatformException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/** Loads {@code rollgate.yaml} from {@code s3://bucket/key}, then validates it like a file. */
final class S3ManifestSource implements ManifestSource {

  private static final int MAX_BYTES = 1 << 20;

  private final AwsClients clients;

  S3ManifestSource(AwsClients clients) {
    this.clients = clients;
  }

  static boolean isS3(String location) {
    return location != null && location.startsWith("s3://");
  }

  @Override
  public boolean handles(String location) {
    return isS3(location);
  }

  /** Lambda's writable {@code /tmp}: an object has no directory. */
  @Override
  public Path baseDir(String location) {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * Reads and validates the manifest at {@code location}; relative paths in it resolve against
   * {@code baseDir} (Lambda's writable {@code /tmp} by default, since an object has no directory).
   *
   * @throws ManifestException when the object cannot be read or the manifest is invalid
   */
  Manifest load(String location, Path baseDir) {
    Path base = baseDir != null ? baseDir : baseDir(location);
    return ManifestLoader.parse(read(location), location, base);
  }

  @Override
  public String read(String location) {
    if (!isS3(location)) {
      throw new ManifestException(
          String.valueOf(location), List.of("not an s3:// location; expected s3://bucket/key"));
    }
    String rest = location.substring("s3://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new ManifestException(
          location, List.of("expected s3://bucket/key, e.g. s3://deploy-config/rollgate.yaml"));
    }
    String bucket = rest.substring(0, slash);
    String key = rest.substring(slash + 1);
    byte[] bytes;
    try {
      bytes = clients.s3(null).getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (SdkException e) {
      PlatformException p =
          AwsFaults.translate(
              e,
              "s3:GetObject",
              "GetObject of " + location,
              "upload the manifest there or fix ROLLGATE_MANIFEST");
      throw new ManifestException(location, List.of("cannot read it: " + p.getMessage()));
    }
    if (bytes.length > MAX_BYTES) {
      throw new ManifestException(
          location, List.of("larger than 1 MiB (" + bytes.length + " bytes); is it the manifest?"));
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
