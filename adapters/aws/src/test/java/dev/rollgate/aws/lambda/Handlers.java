package dev.rollgate.aws.lambda;

import dev.rollgate.assembly.Settings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * rollgate's Lambda handlers for tests, one per function as Lambda keeps one per instance, with the
 * process's settings (system properties first) and the function chosen as Lambda's environment
 * would.
 */
public final class Handlers {

  private final Map<String, RollgateHandler> handlers = new ConcurrentHashMap<>();

  /** Handles {@code event} with {@code function}'s handler, made on first use; its answer. */
  public String invoke(String function, byte[] event) throws IOException {
    RollgateHandler handler = handlers.computeIfAbsent(function, Handlers::handler);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, LocalLambdaContext.of(function));
    return out.toString(StandardCharsets.UTF_8);
  }

  /** True once {@code function}'s handler assembled rollgate. */
  public boolean assembled(String function) {
    RollgateHandler h = handlers.get(function);
    return h != null && h.isAssembled();
  }

  static RollgateHandler handler(String function) {
    Settings process = Settings.fromProcess();
    return new RollgateHandler(
        name -> name.equals(RollgateLambda.ENV_FUNCTION_DEFINITION) ? function : process.get(name));
  }
}
