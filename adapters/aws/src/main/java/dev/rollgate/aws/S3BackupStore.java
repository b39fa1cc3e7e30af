package dev.rollgate.aws;

import dev.rollgate.backup.TempFileUpload;
import dev.rollgate.core.port.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BackupStore} in an S3 bucket under a key prefix: an upload is buffered in a temporary
 * file (Lambda's {@code /tmp}) and sent with one PutObject on commit, and since S3 shows an object
 * only once it is complete, a reader sees a whole file or none.
 */
final class S3BackupStore implements BackupStore {

  private static final String FIX_BUCKET = "create the bucket or fix the backup store's s3:// URL";

  private final Supplier<S3Client> s3;
  private final String bucket;
  private final String prefix;

  /**
   * @param prefix the key prefix, empty or ending with {@code /}
   */
  S3BackupStore(Supplier<S3Client> s3, String bucket, String prefix) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = normalizePrefix(Objects.requireNonNull(prefix, "prefix"));
  }

  /** Parses {@code s3://bucket[/prefix]}. */
  static S3BackupStore of(Supplier<S3Client> s3, String url) {
    if (url == null || !url.startsWith("s3://") || url.length() == "s3://".length()) {
      throw new IllegalArgumentException(
          "not an S3 backup store URL: '" + url + "'; write s3://bucket/prefix");
    }
    String rest = url.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException(
          "S3 backup store URL '" + url + "' names no bucket; write s3://bucket/prefix");
    }
    return new S3BackupStore(s3, bucket, slash < 0 ? "" : rest.substring(slash + 1));
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public Upload upload(String key) throws IOException {
    String objectKey = objectKey(key);
    return new TempFileUpload(Files.createTempFile("rollgate-backup-", ".partial")) {
      @Override
      protected void publish(Path complete) throws IOException {
        try {
          s3.get().putObject(b -> b.bucket(bucket).key(objectKey), RequestBody.fromFile(complete));
        } catch (SdkException e) {
          throw translate(e, "s3:PutObject", "PutObject of " + S3BackupStore.this.where(objectKey));
        }
      }

      @Override
      protected String where() {
        return S3BackupStore.this.where(objectKey);
      }
    };
  }

  @Override
  public InputStream get(String key) throws IOException {
    String objectKey = objectKey(key);
    try {
      return s3.get().getObject(b -> b.bucket(bucket).key(objectKey));
    } catch (NoSuchKeyException e) {
      NoSuchFileException missing = new NoSuchFileException(where(objectKey));
      missing.initCause(e);
      throw missing;
    } catch (SdkException e) {
      throw translate(e, "s3:GetObject", "GetObject of " + where(objectKey));
    }
  }

  @Override
  public List<Entry> list(String keyPrefix) throws IOException {
    String full = prefix + Objects.requireNonNull(keyPrefix, "prefix");
    List<Entry> entries = new ArrayList<>();
    try {
      String token = null;
      do {
        String continuation = token;
        ListObjectsV2Response page =
            s3.get()
                .listObjectsV2(b -> b.bucket(bucket).prefix(full).continuationToken(continuation));
        for (S3Object o : page.contents()) {
          entries.add(new Entry(o.key().substring(prefix.length()), o.size()));
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw translate(e, "s3:ListBucket", "ListObjectsV2 of s3://" + bucket + "/" + full);
    }
    entries.sort(Comparator.comparing(Entry::key));
    return entries;
  }

  @Override
  public void delete(String key) throws IOException {
    String objectKey = objectKey(key);
    try {
      s3.get().deleteObject(b -> b.bucket(bucket).key(objectKey));
    } catch (NoSuchKeyException e) {
      // absent already: nothing to do
    } catch (SdkException e) {
      throw translate(e, "s3:DeleteObject", "DeleteObject of " + where(objectKey));
    }
  }

  private String where(String objectKey) {
    return "s3://" + bucket + "/" + objectKey;
  }

  private String objectKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("not a store key (a relative path a/b/c): '" + key + "'");
    }
    return prefix + key;
  }

  private IOException translate(SdkException e, String action, String what) {
    return new IOException(AwsFaults.translate(e, action, what, FIX_BUCKET).getMessage(), e);
  }

  private static String normalizePrefix(String prefix) {
    String p = prefix;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }
}
