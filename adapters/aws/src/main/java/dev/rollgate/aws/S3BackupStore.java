package dev.rollgate.aws;

import dev.rollgate.backup.TempFileUpload;
import dev.rollgate.core.port.BackupStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A {@link BackupStore} in an S3 bucket under a key prefix: an upload is buffered in a temporary
 * file (Lambda's {@code /tmp}) and sent on commit, with one PutObject, or as a multipart upload in
 * parts of {@link #PART_BYTES} when larger (one PutObject takes at most 5 GB). S3 shows an object
 * only once it is complete, so a reader sees a whole file or none; a multipart upload that fails is
 * aborted.
 */
final class S3BackupStore implements BackupStore {

  private static final String FIX_BUCKET = "create the bucket or fix the backup store's s3:// URL";
  private static final Logger LOG = Logger.getLogger(S3BackupStore.class.getName());

  /** Files larger than this go up as a multipart upload, in parts of this size (64 MiB). */
  static final long PART_BYTES = 64L << 20;

  private final Supplier<S3Client> s3;
  private final String bucket;
  private final String prefix;
  private final long partBytes;

  /**
   * @param prefix the key prefix, empty or ending with {@code /}
   * @param partBytes multipart threshold and part size; S3 takes parts of 5 MiB and more
   */
  S3BackupStore(Supplier<S3Client> s3, String bucket, String prefix, long partBytes) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = normalizePrefix(Objects.requireNonNull(prefix, "prefix"));
    if (partBytes < 5L << 20) {
      throw new IllegalArgumentException("S3 multipart parts are 5 MiB or more: " + partBytes);
    }
    this.partBytes = partBytes;
  }

  /** Parses {@code s3://bucket[/prefix]}. */
  static S3BackupStore of(Supplier<S3Client> s3, String url) {
    return of(s3, url, PART_BYTES);
  }

  /** Parses {@code s3://bucket[/prefix]}; files above {@code partBytes} go up in parts. */
  static S3BackupStore of(Supplier<S3Client> s3, String url, long partBytes) {
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
    return new S3BackupStore(s3, bucket, slash < 0 ? "" : rest.substring(slash + 1), partBytes);
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
        long size = Files.size(complete);
        if (size > partBytes) {
          uploadInParts(complete, size, objectKey);
          return;
        }
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

  /**
   * A multipart upload of {@code file}: parts read straight from the file (each re-readable, so the
   * SDK can retry one), completed in order, aborted when any step fails so no parts are left.
   */
  private void uploadInParts(Path file, long size, String objectKey) throws IOException {
    S3Client client = s3.get();
    String what = "multipart upload of " + where(objectKey);
    String uploadId;
    try {
      // One checksum algorithm named throughout: the SDK checksums every part by default, and S3
      // refuses to complete an upload whose parts carry checksums the create did not announce.
      uploadId =
          client
              .createMultipartUpload(
                  b -> b.bucket(bucket).key(objectKey).checksumAlgorithm(ChecksumAlgorithm.CRC32))
              .uploadId();
    } catch (SdkException e) {
      throw translate(e, "s3:PutObject", "CreateMultipartUpload of " + where(objectKey));
    }
    int count = (int) ((size + partBytes - 1) / partBytes);
    List<CompletedPart> parts = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        int number = i + 1;
        long offset = i * partBytes;
        long length = Math.min(partBytes, size - offset);
        UploadPartResponse sent =
            client.uploadPart(
                b ->
                    b.bucket(bucket)
                        .key(objectKey)
                        .uploadId(uploadId)
                        .partNumber(number)
                        .contentLength(length)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromContentProvider(
                    () -> slice(file, offset, length), length, "application/octet-stream"));
        parts.add(
            CompletedPart.builder()
                .partNumber(number)
                .eTag(sent.eTag())
                .checksumCRC32(sent.checksumCRC32())
                .build());
        LOG.info(() -> "%s: part %d of %d sent".formatted(what, number, count));
      }
      client.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key(objectKey)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (SdkException | UncheckedIOException e) {
      try {
        client.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
      } catch (SdkException abort) {
        e.addSuppressed(abort); // a bucket lifecycle rule removes what is left
      }
      if (e instanceof UncheckedIOException io) {
        throw new IOException(what + ": cannot read " + file + ": " + io.getMessage(), io);
      }
      throw translate((SdkException) e, "s3:PutObject", what);
    }
  }

  /** Bytes {@code offset} to {@code offset + length} of {@code file}, as a fresh stream. */
  private static InputStream slice(Path file, long offset, long length) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset);
      return new FilterInputStream(in) {
        private long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = super.read();
          if (b >= 0) {
            left--;
          }
          return b;
        }

        @Override
        public long skip(long n) throws IOException {
          long skipped = super.skip(Math.min(n, left));
          left -= skipped;
          return skipped;
        }

        @Override
        public int available() throws IOException {
          return (int) Math.min(super.available(), left);
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = super.read(buffer, off, (int) Math.min(len, left));
          if (n > 0) {
            left -= n;
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
