package dev.rollgate.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollgateHandlerTest {

  @TempDir Path dir;

  private Map<String, String> settings(String function) throws IOException {
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "version: 1",
            "apps:",
            "  - name: shop",
            "    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop",
            "    environments:",
            "      staging:",
            "        deploy: on-push",
            "        target: { platform: ecs, cluster: c, service: s, container: app }",
            ""));
    return Map.of(
        RollgateLambda.ENV_FUNCTION_DEFINITION,
        function,
        "rollgate.manifest",
        manifest.toString(),
        "rollgate.ledger-url",
        "postgresql://rollgate:hunter2@ledger.internal/rollgate",
        "rollgate.aws.region",
        "us-east-1",
        LambdaPriming.ENV_PRIMING,
        "off");
  }

  @Test
  void handleRequest_shouldExplainWithoutRepeatingIt_whenTheLedgerUrlIsNeitherJdbcNorASecret()
      throws IOException {
    // GIVEN a handler whose ROLLGATE_LEDGER_URL is mistyped as a libpq URL with its password
    RollgateHandler handler = new RollgateHandler(settings("status")::get);
    // THEN building it (Lambda's init) assembled nothing
    assertFalse(handler.isAssembled());

    // WHEN the first event needs the core
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(),
                    LocalLambdaContext.of("status")));

    // THEN the message says what is expected, AWS's secret scheme included, and never the password
    assertTrue(e.getMessage().contains("neither a JDBC URL"), e.getMessage());
    assertTrue(e.getMessage().contains("aws-sm:NAME"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertFalse(handler.isAssembled());
  }

  @Test
  void constructor_shouldNameTheFunctions_whenTheDefinitionIsUnknown() throws IOException {
    // GIVEN SPRING_CLOUD_FUNCTION_DEFINITION naming no rollgate function
    Map<String, String> s = settings("deploy");
    // WHEN / THEN the handler refuses to start, naming the functions there are
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new RollgateHandler(s::get));
    assertTrue(e.getMessage().contains("'deploy'"), e.getMessage());
    assertTrue(e.getMessage().contains("imagePushed"), e.getMessage());
  }

  @Test
  void handleRequest_shouldLogNoSecret_whenAFunctionUrlRequestCarriesAToken() throws IOException {
    // GIVEN a promote request through a Function URL, with its bearer token
    RollgateHandler handler = new RollgateHandler(settings("promote")::get);
    String event =
        Files.readString(Path.of("../../events/fixtures/aws-lambda-function-url-post.json"))
            .replace(
                "\"headers\": {", "\"headers\": {\"authorization\": \"Bearer tok-S3CRET-42\",");
    java.io.PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      // WHEN it is handled (the ledger URL is wrong here, so the core does not assemble)
      assertThrows(
          IllegalStateException.class,
          () ->
              handler.handleRequest(
                  new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                  new ByteArrayOutputStream(),
                  LocalLambdaContext.of("promote")));
    } finally {
      System.setErr(err);
    }
    // THEN the function's log holds neither the token nor the request
    assertFalse(log.toString(StandardCharsets.UTF_8).contains("S3CRET"), log.toString());
  }
}
