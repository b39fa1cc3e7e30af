package dev.rollgate.aws;

import dev.rollgate.aws.lambda.Handlers;
import java.io.IOException;

/** The sample events through rollgate's own Lambda handler, the default: no Spring Boot start. */
class LambdaHandlerIT extends LambdaEntryContract {

  private final Handlers handlers = new Handlers();

  @Override
  String invoke(String function, byte[] event) throws IOException {
    return handlers.invoke(function, event);
  }

  @Override
  String entry() {
    return "handler";
  }
}
