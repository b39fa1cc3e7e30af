package dev.rollgate.gcp.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.rollgate.assembly.LazyRollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.Settings;
import dev.rollgate.spring.RollgateAssembly;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.config.SmartCompositeMessageConverter;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

/**
 * rollgate's Cloud Functions entry ({@link #ENTRY_POINT}), one class for both signatures: Cloud
 * Functions calls {@link #service} for an HTTP function ({@code FUNCTION_SIGNATURE_TYPE=http}) and
 * {@link #accept} for an event function ({@code cloudevent}, an Eventarc trigger). Spring Cloud
 * Function's function model (its registry and message conversion) without starting Spring Boot, as
 * on Lambda (docs/adr/0009); {@code SPRING_CLOUD_FUNCTION_DEFINITION} picks the function, and an
 * unknown name stops the instance at start. rollgate is assembled on the first invocation ({@link
 * LazyRollgate}).
 *
 * <p>HTTP: rollgate's answer is the response (status, headers, JSON body or the status page).
 * CloudEvents have no answer: what rollgate accepted or refused (a duplicate, a malformed or
 * digest-less push: any status below 500, and 501) returns normally, so that Eventarc acknowledges
 * it and never redelivers it; a failure that may pass (500, 502-504, or an exception: the ledger
 * unreachable, a failed assembly) throws, so that Eventarc redelivers it under the trigger's retry
 * policy, which the ledger makes safe (one deployment per event id).
 */
public final class RollgateFunction implements HttpFunction, CloudEventsFunction {

  /** This class, as Cloud Functions' {@code entry_point} names it. */
  public static final String ENTRY_POINT = "dev.rollgate.gcp.functions.RollgateFunction";

  /** The Cloud Functions runtime the artifact is built and tested for (class files: Java 17). */
  public static final String RUNTIME = "java17";

  /** The functions, one Cloud Function each; the value of {@link #ENV_FUNCTION_DEFINITION}. */
  public static final List<String> FUNCTIONS = RollgateAssembly.FUNCTION_NAMES;

  /** Environment variable choosing the function of a Cloud Function. */
  public static final String ENV_FUNCTION_DEFINITION = "SPRING_CLOUD_FUNCTION_DEFINITION";

  /** Environment variable with the manifest's location: a path, classpath: or gs://bucket/key. */
  public static final String ENV_MANIFEST = "ROLLGATE_MANIFEST";

  /**
   * Environment variable with the ledger's PostgreSQL JDBC URL, or a secret reference holding it
   * ({@code gcp-sm:projects/P/secrets/NAME}).
   */
  public static final String ENV_LEDGER_URL = "ROLLGATE_LEDGER_URL";

  /** Environment variable with the backup store, {@code gs://bucket/prefix}; empty: no backups. */
  public static final String ENV_BACKUP_STORE = "ROLLGATE_BACKUP_STORE";

  /** Every environment variable a rollgate Cloud Function needs. */
  public static final List<String> ENVIRONMENT =
      List.of(ENV_FUNCTION_DEFINITION, ENV_MANIFEST, ENV_LEDGER_URL, ENV_BACKUP_STORE);

  /** Set by Cloud Functions (2nd gen) and Cloud Run: the revision serving this instance. */
  static final String ENV_REVISION = "K_REVISION";

  /** What every function takes and returns: the raw request or event, an HTTP-style answer. */
  static final ResolvableType FUNCTION_TYPE =
      ResolvableType.forClassWithGenerics(
          Function.class,
          ResolvableType.forClassWithGenerics(Message.class, byte[].class),
          ResolvableType.forClassWithGenerics(Message.class, String.class));

  private static final Logger LOG = Logger.getLogger(RollgateFunction.class.getName());

  private final String name;
  private final FunctionInvocationWrapper function;
  private final LazyRollgate rollgate;

  /** What the Functions Framework calls once per instance: settings from the environment. */
  public RollgateFunction() {
    this(Settings.fromProcess());
  }

  RollgateFunction(Settings settings) {
    this(settings, LazyRollgate.of(assembler(settings)));
  }

  RollgateFunction(Settings settings, LazyRollgate rollgate) {
    this.name = settings.get(ENV_FUNCTION_DEFINITION);
    if (name == null || !FUNCTIONS.contains(name)) {
      throw new IllegalStateException(
          ENV_FUNCTION_DEFINITION
              + " must name one of "
              + FUNCTIONS
              + ", got "
              + (name == null ? "nothing" : "'" + name + "'")
              + ": set it in the function's environment (infra/gcp sets it per function)");
    }
    this.rollgate = rollgate;
    SimpleFunctionRegistry registry =
        new SimpleFunctionRegistry(
            new DefaultConversionService(),
            new SmartCompositeMessageConverter(
                List.of(new ByteArrayMessageConverter(), new StringMessageConverter())),
            new JacksonMapper(new ObjectMapper()));
    for (String f : FUNCTIONS) {
      registry.register(
          new FunctionRegistration<>(
                  RollgateAssembly.function(f, rollgate::api, rollgate::backups), f)
              .type(FUNCTION_TYPE.getType()));
    }
    this.function = registry.lookup(Function.class, name);
  }

  /**
   * rollgate's assembly on Cloud Functions: a lease-owner id per instance ({@code K_REVISION} and a
   * random id), drawn on the first invocation.
   */
  static RollgateAssembler assembler(Settings settings) {
    return RollgateAssembler.of(settings)
        .owner(() -> "gcf-" + settings.get(ENV_REVISION, "local") + "-" + UUID.randomUUID());
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    Message<?> reply = call(GcpMessages.http(request));
    response.setStatusCode(status(reply));
    reply
        .getHeaders()
        .forEach(
            (header, value) -> {
              if (value instanceof String s && !header.equalsIgnoreCase("content-type")) {
                response.appendHeader(header, s);
              }
            });
    // JSON, or the status page's HTML when a browser asked for it.
    response.setContentType(
        reply.getHeaders().get("content-type") instanceof String type ? type : "application/json");
    try (OutputStream out = response.getOutputStream()) {
      out.write(body(reply).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void accept(CloudEvent event) {
    Message<?> reply = call(GcpMessages.cloudEvent(event));
    int status = status(reply);
    String body = body(reply);
    if (retryable(status)) {
      throw new RetryableEventException(name, event.getId(), status, body);
    }
    Level level = status >= 400 ? Level.WARNING : Level.INFO;
    LOG.log(
        level,
        () ->
            name
                + " "
                + event.getType()
                + " "
                + event.getId()
                + ": "
                + status
                + (status >= 400 ? " refused, acknowledged so that it is not redelivered: " : " ")
                + body);
  }

  /** 500 and 502-504 may pass on a later delivery; 501 (not configured) and 4xx will not. */
  static boolean retryable(int status) {
    return status == 500 || (status >= 502 && status <= 504);
  }

  /** True once the first invocation assembled rollgate (for tests of the lazy path). */
  boolean isAssembled() {
    return rollgate.isAssembled();
  }

  private Message<?> call(Message<byte[]> message) {
    Object result = function.apply(message);
    if (result instanceof Message<?> m) {
      return m;
    }
    throw new IllegalStateException(
        name + " answered " + (result == null ? "nothing" : result.getClass()) + ", not a message");
  }

  private static int status(Message<?> reply) {
    Object status = reply.getHeaders().get("statusCode");
    return status instanceof Number n ? n.intValue() : 200;
  }

  private static String body(Message<?> reply) {
    Object payload = reply.getPayload();
    return payload instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : payload.toString();
  }

  /** Thrown for a CloudEvent whose handling may succeed when redelivered: Eventarc retries. */
  static final class RetryableEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryableEventException(String function, String eventId, int status, String body) {
      super(
          function
              + ": event "
              + eventId
              + " failed with "
              + status
              + " and is left for redelivery (the ledger keeps a redelivery from deploying"
              + " twice): "
              + body);
    }
  }
}
