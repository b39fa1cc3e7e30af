package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.port.PlatformException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.ServerException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;

class AwsFaultsTest {

  private static final String WHAT = "UpdateService of service 'shop' in cluster 'prod'";
  private static final String FIX = "check target.service";

  private static PlatformException translate(SdkException e) {
    return AwsFaults.translate(e, "ecs:UpdateService", WHAT, FIX);
  }

  private static <B extends EcsException.Builder> EcsException ecs(
      B builder, int status, String code, String message) {
    return (EcsException)
        builder
            .statusCode(status)
            .requestId("req-1")
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .build();
  }

  @Test
  void translate_shouldSayRetryable_whenAwsThrottles() {
    // GIVEN
    EcsException throttled =
        ecs(EcsException.builder(), 400, "ThrottlingException", "Rate exceeded");

    // WHEN
    PlatformException p = translate(throttled);

    // THEN
    assertTrue(p.retryable());
    assertTrue(p.getMessage().contains(WHAT), p.getMessage());
    assertTrue(p.getMessage().contains("throttled"), p.getMessage());
    assertTrue(p.getMessage().contains("request req-1"), p.getMessage());
  }

  @Test
  void translate_shouldSayRetryable_whenTheStatusIs429Or5xx() {
    // GIVEN / WHEN / THEN
    assertTrue(translate(ecs(EcsException.builder(), 429, "TooManyRequests", "slow")).retryable());
    assertTrue(
        translate(ecs(ServerException.builder(), 500, "ServerException", "oops")).retryable());
    assertTrue(translate(ecs(EcsException.builder(), 503, "Unavailable", "later")).retryable());
  }

  @Test
  void translate_shouldNameTheIamAction_whenAccessIsDenied() {
    // GIVEN
    EcsException denied =
        ecs(AccessDeniedException.builder(), 400, "AccessDeniedException", "not authorized");

    // WHEN
    PlatformException p = translate(denied);

    // THEN
    assertFalse(p.retryable());
    assertTrue(p.getMessage().contains("grant ecs:UpdateService"), p.getMessage());
  }

  @Test
  void translate_shouldGiveTheNotFoundFix_whenTheServiceDoesNotExist() {
    // GIVEN
    EcsException missing =
        ecs(
            ServiceNotFoundException.builder(),
            400,
            "ServiceNotFoundException",
            "Service not found.");

    // WHEN
    PlatformException p = translate(missing);

    // THEN
    assertFalse(p.retryable());
    assertTrue(p.getMessage().endsWith(FIX), p.getMessage());
    assertTrue(p.getMessage().contains("Service not found."), p.getMessage());
  }

  @Test
  void translate_shouldSayNotRetryable_whenEcsRefusesTheInput() {
    // GIVEN
    EcsException refused =
        ecs(
            ClientException.builder(),
            400,
            "ClientException",
            "Container.image should not be null");

    // WHEN
    PlatformException p = translate(refused);

    // THEN
    assertFalse(p.retryable());
    assertTrue(p.getMessage().contains("Container.image should not be null"), p.getMessage());
  }

  @Test
  void translate_shouldSayRetryable_whenTheCallTimedOutOrTheConnectionFailed() {
    // GIVEN
    SdkException timeout = ApiCallAttemptTimeoutException.create(1500);
    SdkException refused =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: Connection refused")
            .cause(new ConnectException("Connection refused"))
            .build();

    // WHEN / THEN
    assertTrue(translate(timeout).retryable());
    PlatformException p = translate(refused);
    assertTrue(p.retryable());
    assertTrue(p.getMessage().contains("ConnectException"), p.getMessage());
  }

  @Test
  void translate_shouldPointAtTheRegion_whenNoRegionIsConfigured() {
    // GIVEN
    SdkException noRegion =
        SdkClientException.create("Unable to load region from any of the providers in the chain");

    // WHEN
    PlatformException p = translate(noRegion);

    // THEN
    assertFalse(p.retryable());
    assertTrue(p.getMessage().contains("AWS_REGION"), p.getMessage());
  }
}
