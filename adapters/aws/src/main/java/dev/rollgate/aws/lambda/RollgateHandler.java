package dev.rollgate.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.assembly.LazyRollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.Settings;
import dev.rollgate.spring.RollgateAssembly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.config.SmartCompositeMessageConverter;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.support.MessageBuilder;

/**
 * rollgate's Lambda handler ({@link #HANDLER}): Spring Cloud Function's function model (its
 * function registry, message conversion and AWS event mapping) without starting Spring Boot. The
 * same function names as every other entry point; {@code SPRING_CLOUD_FUNCTION_DEFINITION} picks
 * the function. rollgate itself is assembled on the first invocation ({@link LazyRollgate}); while
 * the instance initialises, {@link LambdaPriming} loads what that invocation needs.
 */
public final class RollgateHandler implements RequestStreamHandler {

  /** This handler, as Lambda's {@code handler} setting names it. */
  public static final String HANDLER = "dev.rollgate.aws.lambda.RollgateHandler::handleRequest";

  private static final JsonMapper JSON = new JacksonMapper(new ObjectMapper());

  private final FunctionInvocationWrapper function;
  private final LazyRollgate rollgate;

  /** What Lambda calls: settings from the environment. */
  public RollgateHandler() {
    this(Settings.fromProcess());
  }

  RollgateHandler(Settings settings) {
    String name = settings.get(RollgateLambda.ENV_FUNCTION_DEFINITION);
    if (name == null || !RollgateLambda.FUNCTIONS.contains(name)) {
      throw new IllegalStateException(
          RollgateLambda.ENV_FUNCTION_DEFINITION
              + " must name one of "
              + RollgateLambda.FUNCTIONS
              + ", got "
              + (name == null ? "nothing" : "'" + name + "'"));
    }
    LambdaPriming.start(
        settings.get(LambdaPriming.ENV_PRIMING),
        settings.get("rollgate.manifest"),
        settings.get(RollgateLambda.ENV_INITIALIZATION_TYPE));
    this.rollgate = LazyRollgate.of(assembler(settings));
    SimpleFunctionRegistry registry =
        new SimpleFunctionRegistry(
            new DefaultConversionService(),
            new SmartCompositeMessageConverter(
                List.of(new ByteArrayMessageConverter(), new StringMessageConverter())),
            JSON);
    for (String f : RollgateLambda.FUNCTIONS) {
      registry.register(
          new FunctionRegistration<>(function(f, rollgate), f)
              .type(RollgateLambda.FUNCTION_TYPE.getType()));
    }
    this.function = registry.lookup(Function.class, name);
  }

  /** rollgate's assembly on Lambda: a lease-owner id per instance, drawn on first invocation. */
  static RollgateAssembler assembler(Settings settings) {
    // Drawn after a SnapStart restore, so that no two restored instances share an owner id.
    return RollgateAssembler.of(settings)
        .owner(
            () ->
                "lambda-"
                    + settings.get("AWS_LAMBDA_LOG_STREAM_NAME", "local")
                    + "-"
                    + UUID.randomUUID());
  }

  /**
   * The function {@code name} over {@code rollgate}, Function URL requests unwrapped first. It
   * answers the body as bytes: Spring Cloud Function's AWS output writes a String that is not JSON
   * as a quoted JSON string, which would reach a browser as the status page's HTML in quotes.
   */
  static Function<Message<byte[]>, Message<byte[]>> function(String name, LazyRollgate rollgate) {
    Function<Message<byte[]>, Message<String>> f =
        RollgateAssembly.function(name, rollgate::api, rollgate::backups);
    return message -> {
      Message<String> reply = f.apply(LambdaMessages.normalize(message));
      return MessageBuilder.withPayload(reply.getPayload().getBytes(StandardCharsets.UTF_8))
          .copyHeaders(reply.getHeaders())
          .build();
    };
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Message<?> message =
        AWSLambdaUtils.generateMessage(
            input, function.getInputType(), function.isSupplier(), JSON, context);
    Object result = function.apply(message);
    output.write(
        AWSLambdaUtils.generateOutputFromObject(message, result, JSON, function.getOutputType()));
  }

  /** True once the first invocation assembled rollgate (for tests of the lazy path). */
  boolean isAssembled() {
    return rollgate.isAssembled();
  }
}
