package dev.rollgate.gcp.functions;

import dev.rollgate.assembly.LazyRollgate;
import dev.rollgate.assembly.Settings;
import dev.rollgate.spring.RollgateAssembly;
import java.io.BufferedReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The documented alternative entry, for HTTP functions only: Spring Cloud Function's GCP {@link
 * #INVOKER} as the entry point, starting Spring Boot with this class as {@code MAIN_CLASS}, which
 * registers rollgate's functions functionally. That invoker (4.3.0) picks the function by {@link
 * #ENV_FUNCTION_NAME} (Spring's {@code function.name}), not by {@code
 * SPRING_CLOUD_FUNCTION_DEFINITION}. It implements {@code HttpFunction} and {@code
 * RawBackgroundFunction} but not {@code CloudEventsFunction}, so Eventarc triggers need {@link
 * RollgateFunction}, the default. It hands the function the request's body as a reader and its
 * headers as lists, and no query string or path: webhooks name their endpoint in an {@code
 * X-Rollgate-Endpoint} header here.
 */
public final class RollgateCloudFunctions
    implements ApplicationContextInitializer<GenericApplicationContext> {

  /** Spring Cloud Function's GCP entry point, which starts Spring Boot with this class. */
  public static final String INVOKER =
      "org.springframework.cloud.function.adapter.gcp.FunctionInvoker";

  /** Environment variable naming this class, so the invoker registers beans functionally. */
  public static final String ENV_MAIN_CLASS = "MAIN_CLASS";

  /** Environment variable naming the function for {@link #INVOKER} ({@code function.name}). */
  public static final String ENV_FUNCTION_NAME = "FUNCTION_NAME";

  /** The value of {@link #ENV_MAIN_CLASS}. */
  public static final String MAIN_CLASS = "dev.rollgate.gcp.functions.RollgateCloudFunctions";

  /** Whatever the invoker passes (a reader, text or bytes) in, the answer's bytes out. */
  static final ResolvableType FUNCTION_TYPE =
      ResolvableType.forClassWithGenerics(
          Function.class,
          ResolvableType.forClassWithGenerics(Message.class, Object.class),
          ResolvableType.forClassWithGenerics(Message.class, byte[].class));

  @Override
  public void initialize(GenericApplicationContext context) {
    Settings settings = Settings.of(context.getEnvironment()::getProperty);
    LazyRollgate rollgate = LazyRollgate.of(RollgateFunction.assembler(settings));
    context.registerBean(
        "rollgate", LazyRollgate.class, () -> rollgate, d -> d.setDestroyMethodName("close"));
    for (String name : RollgateFunction.FUNCTIONS) {
      Function<Message<byte[]>, Message<String>> f =
          RollgateAssembly.function(name, rollgate::api, rollgate::backups);
      Function<Message<Object>, Message<byte[]>> adapted = m -> bytes(f.apply(normalize(m)));
      context.registerBean(
          name,
          FunctionRegistration.class,
          () -> new FunctionRegistration<>(adapted, name).type(FUNCTION_TYPE.getType()));
    }
  }

  /** The invoker's message as rollgate's: the body's bytes, the HTTP headers kept apart. */
  static Message<byte[]> normalize(Message<Object> message) {
    Map<String, String> http = new LinkedHashMap<>();
    message
        .getHeaders()
        .forEach(
            (name, value) -> {
              if (value instanceof Collection<?> values) {
                http.put(
                    name.toLowerCase(Locale.ROOT),
                    values.stream().map(String::valueOf).collect(Collectors.joining(", ")));
              }
            });
    return MessageBuilder.withPayload(body(message.getPayload()))
        .setHeader(RollgateAssembly.HTTP_HEADERS_HEADER, http)
        .build();
  }

  private static byte[] body(Object payload) {
    if (payload instanceof byte[] b) {
      return b;
    }
    if (payload instanceof BufferedReader reader) {
      try {
        return reader.lines().collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8);
      } catch (UncheckedIOException e) {
        throw new IllegalStateException("cannot read the request body", e);
      }
    }
    return payload == null ? new byte[0] : payload.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Message<byte[]> bytes(Message<String> reply) {
    return MessageBuilder.withPayload(reply.getPayload().getBytes(StandardCharsets.UTF_8))
        .setHeader("statusCode", reply.getHeaders().get("statusCode"))
        .setHeader("content-type", "application/json")
        .build();
  }
}
