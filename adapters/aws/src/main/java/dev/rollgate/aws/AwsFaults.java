package dev.rollgate.aws;

import dev.rollgate.core.port.PlatformException;
import java.io.IOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's exceptions into {@link PlatformException}s at the adapter's boundary: says
 * whether trying again may help, and what a person should do when it will not.
 */
final class AwsFaults {

  private static final Set<String> THROTTLING =
      Set.of(
          "ThrottlingException",
          "Throttling",
          "ThrottledException",
          "TooManyRequestsException",
          "RequestLimitExceeded",
          "RequestThrottled",
          "RequestThrottledException",
          "SlowDown",
          "ProvisionedThroughputExceededException");

  private static final Set<String> DENIED =
      Set.of(
          "AccessDeniedException",
          "AccessDenied",
          "UnauthorizedOperation",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "ExpiredTokenException");

  private AwsFaults() {}

  /**
   * @param action the IAM action of the call, e.g. {@code ecs:UpdateService}
   * @param what what was asked, naming the resources, e.g. {@code UpdateService of service 'shop'
   *     in cluster 'prod' (eu-west-1)}
   * @param notFoundFix what to do when the resource does not exist
   */
  static PlatformException translate(
      SdkException e, String action, String what, String notFoundFix) {
    if (e instanceof AwsServiceException service) {
      return fromService(service, action, what, notFoundFix);
    }
    if (isTransient(e)) {
      return new PlatformException(
          "aws: %s did not complete: %s; will retry".formatted(what, describe(e)), true, e);
    }
    String fix =
        e.getMessage() != null && e.getMessage().contains("region")
            ? "set the target's region, AWS_REGION or rollgate.aws.region"
            : e.getMessage() != null && e.getMessage().contains("credentials")
                ? "give rollgate AWS credentials (a role, or AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY)"
                : "check the AWS settings (region, endpoint, credentials)";
    return new PlatformException(
        "aws: %s could not be sent: %s; %s".formatted(what, describe(e), fix), false, e);
  }

  /** True for faults that trying again may cure: throttling, 5xx, timeouts, broken connections. */
  static boolean isTransient(SdkException e) {
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      return status == 429
          || status >= 500
          || service.isThrottlingException()
          || THROTTLING.contains(code(service));
    }
    if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
      return true;
    }
    if (e instanceof SdkClientException) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof IOException) {
          return true;
        }
      }
    }
    return e.retryable();
  }

  private static PlatformException fromService(
      AwsServiceException e, String action, String what, String notFoundFix) {
    String code = code(e);
    String said =
        "%s (HTTP %d%s): %s"
            .formatted(
                code,
                e.statusCode(),
                e.requestId() == null ? "" : ", request " + e.requestId(),
                message(e));
    if (isTransient(e)) {
      String kind = e.statusCode() >= 500 ? "AWS failed" : "AWS throttled the call";
      return new PlatformException(
          "aws: %s: %s: %s; will retry with backoff".formatted(what, kind, said), true, e);
    }
    String fix;
    if (DENIED.contains(code) || e.statusCode() == 403) {
      fix = "grant " + action + " on it to rollgate's role (or check the credentials)";
    } else if (code.endsWith("NotFoundException")
        || code.equals("ResourceNotFoundException")
        || code.equals("NoSuchKey")
        || code.equals("NoSuchBucket")
        || code.equals("ServiceNotActiveException")) {
      fix = notFoundFix;
    } else {
      fix = "fix the request's input in the manifest or in the AWS resources it names";
    }
    return new PlatformException(
        "aws: %s was refused: %s; %s".formatted(what, said, fix), false, e);
  }

  static String code(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code == null || code.isBlank() ? e.getClass().getSimpleName() : code;
  }

  private static String message(AwsServiceException e) {
    String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return m == null || m.isBlank() ? "no message" : m;
  }

  private static String describe(SdkException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = e.getClass().getSimpleName() + ": " + e.getMessage();
    return root == e ? top : top + " (" + root.getClass().getSimpleName() + ")";
  }
}
