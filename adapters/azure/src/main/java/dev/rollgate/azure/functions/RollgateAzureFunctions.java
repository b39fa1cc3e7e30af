package dev.rollgate.azure.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.rollgate.azure.functions.AzureEntry.Reply;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.springframework.messaging.Message;

/**
 * rollgate's Azure Functions, one Function App artifact for all (Java 17, the Azure Functions Java
 * library's annotations): every method calls rollgate's function of the same name through {@link
 * AzureEntry} (Spring Cloud Function's registry without Spring Boot; rollgate assembled on the
 * first invocation).
 *
 * <ul>
 *   <li>{@code imagePushed}: an Event Grid trigger. Azure Container Registry's {@code
 *       Microsoft.ContainerRegistry.ImagePushed} events, in the Event Grid schema or the
 *       CloudEvents 1.0 schema (the subscription's {@code event_delivery_schema}); the Functions
 *       host answers the subscription's validation itself for this trigger. What rollgate accepted
 *       or refused (a duplicate, a malformed or digest-less push: any status below 500, and 501)
 *       returns and is acknowledged; a failure that may pass throws, so that Event Grid redelivers
 *       it under the subscription's retry policy, which the ledger makes safe (one deployment per
 *       event id).
 *   <li>{@code imagePushedHttp}: the same over HTTP ({@code POST /api/imagePushed}, auth level
 *       {@code FUNCTION}: the subscription's URL carries the key as {@code ?code=}) for a plain
 *       webhook subscription; it answers Event Grid's {@code SubscriptionValidationEvent} with
 *       {@code validationResponse} and the CloudEvents webhook validation ({@code OPTIONS} with
 *       {@code WebHook-Request-Origin}) with {@code WebHook-Allowed-Origin}.
 *   <li>{@code webhook}: {@code POST /api/webhook/{endpoint}}, auth level {@code ANONYMOUS}:
 *       registries cannot send a function key in a header, and each endpoint checks its sender's
 *       signature or token (rollgate.yaml {@code webhooks:}).
 *   <li>{@code promote} ({@code POST /api/promote}), {@code abort} ({@code POST /api/abort}),
 *       {@code plan} ({@code POST /api/plan}) and {@code status} ({@code GET /api/status}): auth
 *       level {@code FUNCTION} (a function key, {@code x-functions-key} or {@code ?code=});
 *       promote, abort and plan also need rollgate's promotion token ({@code Authorization: Bearer
 *       ...}).
 *   <li>{@code reconcile}, {@code backup}, {@code verifyBackup}: timer triggers whose NCRONTAB
 *       schedules are app settings ({@link #SCHEDULES}), so infra/azure sets them.
 * </ul>
 */
public final class RollgateAzureFunctions {

  /** The Azure Functions runtime stack the artifact is built and tested for. */
  public static final String JAVA_VERSION = "17";

  /**
   * The Azure Functions by name: rollgate's functions, plus {@code imagePushedHttp}, the HTTP form
   * of {@code imagePushed}.
   */
  public static final List<String> FUNCTIONS =
      List.of(
          "imagePushed",
          "imagePushedHttp",
          "webhook",
          "promote",
          "abort",
          "plan",
          "status",
          "reconcile",
          "backup",
          "verifyBackup");

  /** App setting holding reconcile's NCRONTAB schedule. */
  public static final String RECONCILE_SCHEDULE = "ROLLGATE_RECONCILE_SCHEDULE";

  /** App setting holding backup's NCRONTAB schedule. */
  public static final String BACKUP_SCHEDULE = "ROLLGATE_BACKUP_SCHEDULE";

  /** App setting holding verifyBackup's NCRONTAB schedule. */
  public static final String VERIFY_BACKUP_SCHEDULE = "ROLLGATE_VERIFY_BACKUP_SCHEDULE";

  /** Each timer function's schedule setting. */
  public static final Map<String, String> SCHEDULES =
      Map.of(
          "reconcile", RECONCILE_SCHEDULE,
          "backup", BACKUP_SCHEDULE,
          "verifyBackup", VERIFY_BACKUP_SCHEDULE);

  /** App setting with the manifest's location: a path, classpath: or a blob URL. */
  public static final String ENV_MANIFEST = "ROLLGATE_MANIFEST";

  /** App setting with the ledger's JDBC URL, or a Key Vault reference ({@code azure-kv:...}). */
  public static final String ENV_LEDGER_URL = "ROLLGATE_LEDGER_URL";

  /** App setting with the backup store (a Blob container URL); empty: no backups. */
  public static final String ENV_BACKUP_STORE = "ROLLGATE_BACKUP_STORE";

  /** Every rollgate app setting a Function App needs (the Functions host's own aside). */
  public static final List<String> ENVIRONMENT =
      List.of(
          ENV_MANIFEST,
          ENV_LEDGER_URL,
          ENV_BACKUP_STORE,
          RECONCILE_SCHEDULE,
          BACKUP_SCHEDULE,
          VERIFY_BACKUP_SCHEDULE);

  private static final String EVENT_CONTENT_TYPE = "application/json";

  private final AzureEntry entry;

  /** What Azure's Java worker calls, once per invocation: the process's shared entry. */
  public RollgateAzureFunctions() {
    this(AzureEntry.shared());
  }

  RollgateAzureFunctions(AzureEntry entry) {
    this.entry = entry;
  }

  /** An ACR push delivered by an Event Grid trigger, in either schema. */
  @FunctionName("imagePushed")
  public void imagePushed(
      @EventGridTrigger(name = "event") String event, ExecutionContext context) {
    acknowledge("imagePushed", AzureMessages.event(event, EVENT_CONTENT_TYPE), context);
  }

  /** An ACR push, or Event Grid's validation of the subscription, delivered over HTTP. */
  @FunctionName("imagePushedHttp")
  public HttpResponseMessage imagePushedHttp(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST, HttpMethod.OPTIONS},
              route = "imagePushed",
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    return http("imagePushed", request);
  }

  /** A registry's or CI's webhook, {@code POST /api/webhook/<endpoint>}. */
  @FunctionName("webhook")
  public HttpResponseMessage webhook(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "webhook/{endpoint}",
              authLevel = AuthorizationLevel.ANONYMOUS,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    return http("webhook", request);
  }

  /** A promotion, with rollgate's promotion token. */
  @FunctionName("promote")
  public HttpResponseMessage promote(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "promote",
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    return http("promote", request);
  }

  /** An abort of a deployment in flight, with rollgate's promotion token. */
  @FunctionName("abort")
  public HttpResponseMessage abort(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "abort",
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    return http("abort", request);
  }

  /**
   * What an event (any body {@code imagePushed} takes) would do, changing nothing, with rollgate's
   * promotion token; the same JSON as the local host's {@code POST /plan}.
   */
  @FunctionName("plan")
  public HttpResponseMessage plan(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "plan",
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    return http("plan", request);
  }

  /** What serves where. */
  @FunctionName("status")
  public HttpResponseMessage status(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "status",
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    return http("status", request);
  }

  /** Advances whatever is in flight. */
  @FunctionName("reconcile")
  public void reconcile(
      @TimerTrigger(name = "timer", schedule = "%" + RECONCILE_SCHEDULE + "%") String timer,
      ExecutionContext context) {
    acknowledge("reconcile", AzureMessages.event(timer, EVENT_CONTENT_TYPE), context);
  }

  /** Takes the backups that are due per rollgate.yaml. */
  @FunctionName("backup")
  public void backup(
      @TimerTrigger(name = "timer", schedule = "%" + BACKUP_SCHEDULE + "%") String timer,
      ExecutionContext context) {
    acknowledge("backup", AzureMessages.event(timer, EVENT_CONTENT_TYPE), context);
  }

  /** Restores the newest backups into scratch databases and checks them. */
  @FunctionName("verifyBackup")
  public void verifyBackup(
      @TimerTrigger(name = "timer", schedule = "%" + VERIFY_BACKUP_SCHEDULE + "%") String timer,
      ExecutionContext context) {
    acknowledge("verifyBackup", AzureMessages.event(timer, EVENT_CONTENT_TYPE), context);
  }

  private HttpResponseMessage http(String function, HttpRequestMessage<Optional<byte[]>> request) {
    Reply reply = entry.call(function, AzureMessages.http(request));
    HttpResponseMessage.Builder response =
        request.createResponseBuilder(HttpStatusType.custom(reply.status()));
    reply.headers().forEach(response::header);
    // JSON, or the status page's HTML when a browser asked for it.
    return response.header("Content-Type", reply.contentType()).body(reply.body()).build();
  }

  /**
   * Runs an event or timer function: returns when rollgate's answer is final (done, a duplicate, a
   * refusal), throws when another attempt may pass, so that the host records a failure and Event
   * Grid redelivers.
   */
  private void acknowledge(String function, Message<byte[]> message, ExecutionContext context) {
    Reply reply = entry.call(function, message);
    if (reply.retryable()) {
      throw new IllegalStateException(
          function
              + " (invocation "
              + context.getInvocationId()
              + ") failed with "
              + reply.status()
              + " and is left for the next delivery or run (the ledger keeps a redelivery from"
              + " deploying twice): "
              + reply.body());
    }
    Level level = reply.status() >= 400 ? Level.WARNING : Level.INFO;
    context
        .getLogger()
        .log(
            level,
            () ->
                function
                    + ": "
                    + reply.status()
                    + (reply.status() >= 400
                        ? " refused, acknowledged so that it is not redelivered: "
                        : " ")
                    + reply.body());
  }
}
