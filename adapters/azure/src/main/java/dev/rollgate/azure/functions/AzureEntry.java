package dev.rollgate.azure.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.assembly.LazyRollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.Settings;
import dev.rollgate.spring.RollgateAssembly;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
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
 * What every rollgate Azure Function of one worker process shares: Spring Cloud Function's function
 * registry holding rollgate's functions by their usual names (no Spring Boot, as on Lambda and
 * Cloud Functions: docs/adr/0009, 0013), and rollgate assembled on the first invocation ({@link
 * LazyRollgate}). Azure's Java worker makes a new instance of the class holding the functions for
 * each invocation, so this is held once per process ({@link #shared()}).
 */
final class AzureEntry {

  /** Set by App Service on every instance: the Function App's name. */
  static final String ENV_SITE_NAME = "WEBSITE_SITE_NAME";

  /** What every function takes and returns: the raw request or event, an HTTP-style answer. */
  private static final ResolvableType FUNCTION_TYPE =
      ResolvableType.forClassWithGenerics(
          Function.class,
          ResolvableType.forClassWithGenerics(Message.class, byte[].class),
          ResolvableType.forClassWithGenerics(Message.class, String.class));

  private static volatile AzureEntry shared;

  private final LazyRollgate rollgate;
  private final Map<String, FunctionInvocationWrapper> functions = new HashMap<>();

  AzureEntry(Settings settings) {
    this(LazyRollgate.of(assembler(settings)));
  }

  AzureEntry(LazyRollgate rollgate) {
    this.rollgate = rollgate;
    SimpleFunctionRegistry registry =
        new SimpleFunctionRegistry(
            new DefaultConversionService(),
            new SmartCompositeMessageConverter(
                List.of(new ByteArrayMessageConverter(), new StringMessageConverter())),
            new JacksonMapper(new ObjectMapper()));
    for (String f : RollgateAssembly.FUNCTION_NAMES) {
      registry.register(
          new FunctionRegistration<>(
                  RollgateAssembly.function(f, rollgate::api, rollgate::backups), f)
              .type(FUNCTION_TYPE.getType()));
      functions.put(f, registry.lookup(Function.class, f));
    }
  }

  /** The process's entry, built on first use with settings from the environment (app settings). */
  static AzureEntry shared() {
    AzureEntry entry = shared;
    if (entry == null) {
      synchronized (AzureEntry.class) {
        entry = shared;
        if (entry == null) {
          entry = new AzureEntry(Settings.fromProcess());
          shared = entry;
        }
      }
    }
    return entry;
  }

  /**
   * rollgate's assembly on Azure Functions: a lease-owner id per worker process (the Function App's
   * name and a random id), drawn on the first invocation.
   */
  static RollgateAssembler assembler(Settings settings) {
    return RollgateAssembler.of(settings)
        .owner(() -> "azfn-" + settings.get(ENV_SITE_NAME, "local") + "-" + UUID.randomUUID());
  }

  /** rollgate's function {@code name} applied to {@code message}: its answer. */
  Reply call(String name, Message<byte[]> message) {
    FunctionInvocationWrapper function = functions.get(name);
    if (function == null) {
      throw new IllegalArgumentException(
          "no rollgate function '" + name + "': use one of " + RollgateAssembly.FUNCTION_NAMES);
    }
    Object result = function.apply(message);
    if (result instanceof Message<?> m) {
      return Reply.of(m);
    }
    throw new IllegalStateException(
        name + " answered " + (result == null ? "nothing" : result.getClass()) + ", not a message");
  }

  /** True once the first invocation assembled rollgate (for tests of the lazy path). */
  boolean isAssembled() {
    return rollgate.isAssembled();
  }

  /**
   * A function's answer: status, the headers it sets, the body (JSON, or the status page), and the
   * body's content type.
   */
  record Reply(int status, Map<String, String> headers, String body, String contentType) {

    Reply(int status, Map<String, String> headers, String body) {
      this(status, headers, body, "application/json");
    }

    static Reply of(Message<?> m) {
      Object status = m.getHeaders().get("statusCode");
      Map<String, String> headers = new HashMap<>();
      m.getHeaders()
          .forEach(
              (header, value) -> {
                if (value instanceof String s
                    && !header.equalsIgnoreCase("content-type")
                    && !header.equals("statusCode")
                    && !header.startsWith("scf-")) {
                  headers.put(header, s);
                }
              });
      Object payload = m.getPayload();
      String body =
          payload instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : payload.toString();
      return new Reply(
          status instanceof Number n ? n.intValue() : 200,
          Map.copyOf(headers),
          body,
          m.getHeaders().get("content-type") instanceof String type ? type : "application/json");
    }

    /** 500 and 502-504 may pass on a later delivery; 501 (not configured) and 4xx will not. */
    boolean retryable() {
      return status == 500 || (status >= 502 && status <= 504);
    }
  }
}
