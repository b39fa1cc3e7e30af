package dev.rollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.manifest.ManifestLocations;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.ServicePlatform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Priming: the code paths of a deployment to ECS run once against answers made up in this process
 * (the shapes of real ECS and S3 answers), so that the SDK's and rollgate's classes are loaded and
 * initialised before the first real event. No network, no real credentials, no state kept: every
 * client built here is closed again, so it is safe to run while Lambda initialises an instance,
 * also before a SnapStart snapshot. What it loads is what the first event would load anyway.
 */
public final class AwsPriming {

  private static final URI NOWHERE = URI.create("http://priming.invalid");

  private AwsPriming() {}

  /**
   * Describes, rolls out to and observes a made-up ECS service; with {@code s3} also reads a
   * manifest from S3 (for Lambdas whose manifest or backups live there).
   *
   * @return how many SDK requests the in-process answers served (each request priming made)
   * @throws Exception when a step fails: callers log it and go on, nothing depends on it
   */
  public static int prime(boolean s3) throws Exception {
    // The real clients' HTTP client and credentials chain: built, never used, closed.
    UrlConnectionHttpClient.builder().build().close();
    DefaultCredentialsProvider.builder().build().close();
    AwsSettings settings =
        AwsSettings.defaults()
            .withRegion("us-east-1")
            .withEndpoint(NOWHERE)
            .withCredentials(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")));
    MadeUpAnswers answers = new MadeUpAnswers();
    try (AwsAdapter aws = new AwsAdapter(new AwsClients(settings, answers))) {
      ServicePlatform ecs = aws.ecsPlatform();
      TargetSpec target =
          new TargetSpec(
              "ecs",
              Map.of(
                  "cluster",
                  "priming",
                  "service",
                  "priming",
                  "container",
                  "app",
                  "region",
                  "us-east-1"),
              "priming");
      ecs.validate(target);
      ecs.describe(target);
      ServicePlatform.Revision revision =
          ecs.rollOut(
              target,
              "priming",
              ImageRef.parse(
                  "000000000000.dkr.ecr.us-east-1.amazonaws.com/priming@sha256:" + "1".repeat(64)));
      ecs.observe(target, revision.id());
      if (s3) {
        ManifestLocations.load("s3://priming/rollgate.yaml", List.of(aws.s3ManifestSource()));
      }
    }
    return answers.served.get();
  }

  /** The manifest priming parses: every section a real one has. */
  public static String manifest() {
    return new String(resource("priming-manifest.yaml"), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) {
    try (InputStream in =
        Objects.requireNonNull(
            AwsPriming.class.getResourceAsStream(name), "resource " + name + " is missing")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An HTTP client that answers in process: ECS calls (JSON, named by {@code X-Amz-Target}) from
   * {@code priming-ecs.json}, anything else (S3 GetObject) with the priming manifest.
   */
  private static final class MadeUpAnswers implements SdkHttpClient {

    private final JsonNode ecs;
    private final byte[] manifest;
    private final AtomicInteger served = new AtomicInteger();

    MadeUpAnswers() throws IOException {
      this.ecs = new ObjectMapper().readTree(resource("priming-ecs.json"));
      this.manifest = resource("priming-manifest.yaml");
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      Optional<String> target = request.httpRequest().firstMatchingHeader("X-Amz-Target");
      byte[] body;
      String type;
      if (target.isPresent()) {
        String operation = target.get().substring(target.get().lastIndexOf('.') + 1);
        JsonNode answer = ecs.path(operation);
        body = (answer.isMissingNode() ? "{}" : answer.toString()).getBytes(StandardCharsets.UTF_8);
        type = "application/x-amz-json-1.1";
      } else {
        body = manifest;
        type = "application/octet-stream";
      }
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          served.incrementAndGet();
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(200)
                      .putHeader("Content-Type", type)
                      .putHeader("Content-Length", String.valueOf(body.length))
                      .putHeader("x-amzn-RequestId", "priming")
                      .build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public String clientName() {
      return "rollgate-priming";
    }

    @Override
    public void close() {}
  }
}
