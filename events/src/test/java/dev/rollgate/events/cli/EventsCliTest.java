package dev.rollgate.events.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.events.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsCliTest {

  private static final Instant NOW = Instant.parse("2024-08-16T12:00:00Z");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return run(stdin, Map.of(), args);
  }

  private int run(String stdin, Map<String, String> env, String... args) {
    EventsCli cli =
        new EventsCli(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            NOW,
            env);
    return cli.run(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void decode_shouldPrintTheExpectedJson_whenGivenAFixtureFile() {
    // GIVEN the ECR push fixture
    // WHEN decoded by the CLI
    int status =
        run(
            "",
            "decode",
            "--received-at",
            "2024-01-01T00:00:00Z",
            "fixtures/aws-ecr-image-push.json");
    // THEN it exits 0 and prints exactly the expected file
    assertEquals(0, status, stderr());
    assertEquals(
        Fixtures.text(Fixtures.ROOT.resolve("expected/aws-ecr-image-push.json")), stdout());
    assertEquals("", stderr());
  }

  @Test
  void decode_shouldReadStandardInputAndHeaders_whenGivenADash() {
    // GIVEN a Cloud Scheduler HTTP call on standard input, its headers as options
    int status =
        run(
            "{}",
            "decode",
            "--header",
            "X-CloudScheduler-JobName: nightly",
            "--header",
            "X-CloudScheduler-ScheduleTime: 2024-08-16T10:00:00Z",
            "-");
    // WHEN decoded THEN it is the schedule the headers announce
    assertEquals(0, status, stderr());
    assertTrue(stdout().contains("\"kind\": \"schedule\""), stdout());
    assertTrue(stdout().contains("\"id\": \"nightly@2024-08-16T10:00:00Z\""), stdout());
  }

  @Test
  void decode_shouldExit2WithOneLine_whenTheInputIsMalformed() {
    // GIVEN truncated JSON WHEN decoded THEN exit 2, nothing on stdout, one line on stderr
    int status = run("{\"repository\": ", "decode", "-");
    assertEquals(2, status);
    assertEquals("", stdout());
    assertTrue(stderr().startsWith("$: malformed JSON"), stderr());
    assertEquals(1, stderr().lines().count(), stderr());
  }

  @Test
  void decode_shouldExit2WithOneLine_whenTheInputIsUnrecognised() {
    // GIVEN JSON of no known sender WHEN decoded THEN exit 2 and one line naming its fields
    assertEquals(2, run("{\"hello\": \"world\"}", "decode", "-"));
    assertEquals(
        "$: not an event rollgate knows (fields: 'hello'): see docs/senders.md for the senders"
            + " rollgate decodes\n",
        stderr());
  }

  @Test
  void decode_shouldExit2_whenTheFileDoesNotExist() {
    // GIVEN a missing file WHEN decoded THEN exit 2, saying which
    assertEquals(2, run("", "decode", "fixtures/no-such.json"));
    assertEquals("fixtures/no-such.json: no such file\n", stderr());
  }

  @Test
  void run_shouldExit64WithUsage_whenTheCommandLineIsWrong() {
    // GIVEN an unknown option, an unknown command, no file WHEN run THEN 64 and the usage
    assertEquals(64, run("", "decode", "--verbose", "x", "-"));
    assertEquals(64, run("", "deploy"));
    assertEquals(64, run("", "decode"));
    assertTrue(stderr().contains("usage: rollgate decode"), stderr());
  }

  @Test
  void verifySignature_shouldExit0_whenGivenGitHubsTestVector() {
    // GIVEN GitHub's published vector: the payload "Hello, World!" on standard input
    int status =
        run(
            "Hello, World!",
            "verify-signature",
            "--provider",
            "github",
            "--secret",
            "It's a Secret to Everybody",
            "--signature",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "-");
    // WHEN verified THEN it is valid
    assertEquals(0, status, stderr());
    assertTrue(stdout().startsWith("valid"), stdout());
  }

  @Test
  void verifySignature_shouldExit2WithoutPrintingTheSecret_whenTheSignatureIsWrong() {
    // GIVEN a wrong signature, the secret passed through the environment
    int status =
        run(
            "Hello, World!",
            Map.of("HOOK_SECRET", "It's a Secret to Everybody"),
            "verify-signature",
            "--provider",
            "github",
            "--secret-env",
            "HOOK_SECRET",
            "--signature",
            "sha256=" + "0".repeat(64),
            "-");
    // WHEN verified THEN exit 2, one line, and the secret appears nowhere
    assertEquals(2, status);
    assertEquals(1, stderr().lines().count(), stderr());
    assertFalse((stdout() + stderr()).contains("Secret to Everybody"));
  }

  @Test
  void verifySignature_shouldUnwrapTheEnvelope_whenGivenAFunctionUrlRequest() {
    // GIVEN the Function URL fixture, whose headers hold the signature
    int status =
        run(
            "",
            "verify-signature",
            "--provider",
            "github",
            "--secret",
            "rollgate-fixture-secret",
            "fixtures/constructed/aws-function-url-github-ping-base64.json");
    // WHEN verified THEN the signature holds over the unwrapped body
    assertEquals(0, status, stderr());
  }

  @Test
  void verifySignature_shouldCheckTheWindow_whenTheProviderIsHmac() {
    // GIVEN a body signed at a time, verified 10 s and 10 min later
    long ts = NOW.getEpochSecond() - 10;
    String sig =
        dev.rollgate.events.auth.SenderVerifier.hmacSignature(
            "k", ts, "{}".getBytes(StandardCharsets.UTF_8));
    // WHEN verified THEN inside the window it passes, outside it does not
    assertEquals(
        0,
        run(
            "{}",
            "verify-signature",
            "--provider",
            "hmac",
            "--secret",
            "k",
            "--timestamp",
            Long.toString(ts),
            "--signature",
            sig,
            "-"),
        stderr());
    assertEquals(
        2,
        run(
            "{}",
            "verify-signature",
            "--provider",
            "hmac",
            "--secret",
            "k",
            "--timestamp",
            Long.toString(ts),
            "--signature",
            sig,
            "--now",
            NOW.plusSeconds(600).toString(),
            "-"));
  }
}
