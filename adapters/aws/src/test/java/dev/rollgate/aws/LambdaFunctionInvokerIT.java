package dev.rollgate.aws;

import dev.rollgate.aws.lambda.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * The sample events through Spring Cloud Function's {@link FunctionInvoker} with {@code
 * RollgateLambda} as its start class: the documented alternative for teams that embed rollgate in
 * their own Spring Boot application.
 */
class LambdaFunctionInvokerIT extends LambdaEntryContract {

  @Override
  String invoke(String function, byte[] event) throws IOException {
    FunctionInvoker invoker = new FunctionInvoker(function);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    invoker.handleRequest(new ByteArrayInputStream(event), out, LocalLambdaContext.of(function));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  String entry() {
    return "invoker";
  }
}
