package dev.rollgate.aws;

import dev.rollgate.core.port.PlatformException;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The S3 client Flyway's {@code s3:} locations use, handed to Flyway at start but built only when a
 * migration first reads S3, with rollgate's endpoint, timeouts and retries. Flyway calls only the
 * methods delegated here (flyway-locations-s3 11.20.3: list, get, utilities); the IT proves it.
 *
 * <p>SDK exceptions leave as FlywayExceptions naming the location and the fix: Flyway's scanner
 * lets service errors such as NoSuchBucket through untranslated, and the migration runner reports
 * only Flyway's own exceptions.
 */
final class FlywayS3Client implements S3Client {

  private final Supplier<S3Client> delegate;

  FlywayS3Client(Supplier<S3Client> delegate) {
    this.delegate = delegate;
  }

  @Override
  public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
    return call(
        "s3:ListBucket",
        "listing migrations in s3:%s/%s"
            .formatted(request.bucket(), request.prefix() == null ? "" : request.prefix()),
        () -> delegate.get().listObjectsV2(request));
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
    return call(
        "s3:GetObject",
        "reading migration s3:%s/%s".formatted(request.bucket(), request.key()),
        () -> delegate.get().getObject(request));
  }

  private static <T> T call(String action, String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      PlatformException p =
          AwsFaults.translate(
              e,
              action,
              what,
              "create the bucket and upload the migrations, or fix migrations.locations");
      throw new FlywayException(p.getMessage(), e);
    }
  }

  @Override
  public S3Utilities utilities() {
    return delegate.get().utilities();
  }

  @Override
  public S3ServiceClientConfiguration serviceClientConfiguration() {
    return delegate.get().serviceClientConfiguration();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  /** The delegate belongs to rollgate's client cache, which closes it. */
  @Override
  public void close() {}
}
