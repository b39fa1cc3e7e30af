package dev.rollgate.events;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Malformed and hostile inputs, derived from the fixtures and from nothing: truncations, byte
 * flips, invalid UTF-8, a hostile value at every path of every fixture, deep nesting, huge numbers,
 * random bytes, big bodies, base64 garbage, hostile headers, envelopes in envelopes. Deterministic
 * for a given {@link Random}.
 */
final class HostileInputs {

  /** Receives one input. */
  interface Sink {
    void accept(String what, byte[] body, Map<String, String> headers);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Random random;
  private Sink sink;

  HostileInputs(Random random) {
    this.random = random;
  }

  /** Hands every input to {@code sink}. */
  void generate(Sink sink) throws Exception {
    this.sink = sink;
    for (String name : Fixtures.names()) {
      byte[] body = Fixtures.body(name);
      Map<String, String> headers = Fixtures.headers(name);
      mutateBytes(name, body, headers);
      wrongTypesEverywhere(name, body, headers);
    }
    deepNesting();
    randomBytes();
    bigBodies();
    base64Garbage();
    hostileHeaders();
    envelopeBombs();
  }

  private void mutateBytes(String name, byte[] body, Map<String, String> headers) {
    for (int i = 0; i < 30 && body.length > 0; i++) {
      int cut = random.nextInt(body.length);
      sink.accept(name + " truncated at " + cut, java.util.Arrays.copyOf(body, cut), headers);
    }
    for (int i = 0; i < 30 && body.length > 0; i++) {
      byte[] flipped = body.clone();
      int at = random.nextInt(body.length);
      flipped[at] = (byte) random.nextInt(256);
      sink.accept(name + " byte " + at + " flipped", flipped, headers);
    }
    byte[][] invalidUtf8 = {
      {(byte) 0xC3, 0x28},
      {(byte) 0xFF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
    };
    for (int i = 0; i < 10 && body.length > 0; i++) {
      byte[] bad = invalidUtf8[random.nextInt(invalidUtf8.length)];
      int at = random.nextInt(body.length);
      byte[] out = new byte[body.length + bad.length];
      System.arraycopy(body, 0, out, 0, at);
      System.arraycopy(bad, 0, out, at, bad.length);
      System.arraycopy(body, at, out, at + bad.length, body.length - at);
      sink.accept(name + " invalid UTF-8 at " + at, out, headers);
    }
  }

  private void wrongTypesEverywhere(String name, byte[] body, Map<String, String> headers)
      throws Exception {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (Exception notJson) {
      return;
    }
    if (root == null || root.isMissingNode()) {
      return;
    }
    List<JsonPointer> paths = new ArrayList<>();
    HostileValues.collect(root, JsonPointer.empty(), paths);
    // The big GitHub payload has hundreds of paths: a sample of them keeps the run short.
    while (paths.size() > 300) {
      paths.remove(random.nextInt(paths.size()));
    }
    for (JsonPointer path : paths) {
      for (int i = 0; i < 3; i++) {
        JsonNode value = HostileValues.of(random);
        JsonNode copy = HostileValues.replace(root.deepCopy(), path, value);
        sink.accept(
            name + " " + path + " = " + abbreviate(value), JSON.writeValueAsBytes(copy), headers);
      }
    }
  }

  private void deepNesting() {
    for (int depth : new int[] {63, 64, 65, 100, 1_000, 10_000, 200_000}) {
      sink.accept("[ x" + depth, ("[".repeat(depth) + "]".repeat(depth)).getBytes(), Map.of());
      sink.accept(
          "{ x" + depth, ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(), Map.of());
      sink.accept("unclosed x" + depth, "[{\"a\":".repeat(depth).getBytes(), Map.of());
      String inner = "[".repeat(Math.min(depth, 5_000)) + "]".repeat(Math.min(depth, 5_000));
      sink.accept(
          "deep JSON in an SQS body x" + depth,
          ("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":" + quote(inner) + "}]}")
              .getBytes(StandardCharsets.UTF_8),
          Map.of());
    }
  }

  private void randomBytes() {
    String tokens = "{}[]:,\"\\ 0123456789.eE+-truefalsnl\u00e9\u2028";
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[random.nextInt(512)];
      random.nextBytes(bytes);
      sink.accept("random bytes #" + i, bytes, Map.of());
      StringBuilder jsonish = new StringBuilder();
      for (int k = random.nextInt(200); k > 0; k--) {
        jsonish.append(tokens.charAt(random.nextInt(tokens.length())));
      }
      sink.accept(
          "random JSON-ish #" + i, jsonish.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }

  private void bigBodies() {
    int mib = 1 << 20;
    sink.accept("1 MiB of spaces and {}", pad("{}", mib), Map.of());
    sink.accept("1 MiB + 1", pad("{}", mib + 1), Map.of());
    sink.accept(
        "a 1 MiB tag",
        ("{\"repository\":\"a\",\"tag\":\"" + "x".repeat(mib - 40) + "\"}").getBytes(),
        Map.of());
    sink.accept(
        "200k Records", ("{\"Records\":[" + "0,".repeat(200_000) + "0]}").getBytes(), Map.of());
    sink.accept(
        "many fields",
        ("{" + "\"a\":0,".repeat(50_000).replace("\"a\":0,", "") + "}").getBytes(),
        Map.of());
    StringBuilder keys = new StringBuilder("{");
    for (int i = 0; i < 40_000; i++) {
      keys.append("\"k").append(i).append("\":").append(i).append(',');
    }
    keys.append("\"repository\":\"a\"}");
    sink.accept("40k distinct keys", keys.toString().getBytes(), Map.of());
    StringBuilder triggers = new StringBuilder("[");
    for (int i = 0; i < 2_000; i++) {
      triggers
          .append(i == 0 ? "" : ",")
          .append("{\"repository\":\"a\",\"tag\":\"t")
          .append(i)
          .append("\"}");
    }
    sink.accept("2000 events in one array", triggers.append(']').toString().getBytes(), Map.of());
  }

  private void base64Garbage() {
    List<Supplier<String>> garbage =
        List.of(
            () -> "!!!!",
            () -> "=",
            () -> "YQ",
            () -> "Y===",
            () -> Base64.getEncoder().encodeToString(randomBytes(random.nextInt(300))),
            () -> Base64.getUrlEncoder().encodeToString(randomBytes(random.nextInt(300))),
            () -> Base64.getEncoder().encodeToString("{\"repository\":".getBytes()),
            () -> Base64.getEncoder().encodeToString(("[".repeat(100)).getBytes()),
            () -> Base64.getEncoder().encodeToString(quote(quote("{}")).getBytes()),
            () -> "\u00e9\u00e9\u00e9\u00e9");
    for (int i = 0; i < 200; i++) {
      String data = garbage.get(random.nextInt(garbage.size())).get();
      String q = quote(data);
      sink.accept(
          "Pub/Sub data " + abbreviate(data),
          ("{\"message\":{\"data\":" + q + ",\"messageId\":\"1\"},\"subscription\":\"s\"}")
              .getBytes(StandardCharsets.UTF_8),
          Map.of());
      sink.accept(
          "Function URL base64 body " + abbreviate(data),
          ("{\"version\":\"2.0\",\"rawPath\":\"/\",\"requestContext\":{},\"body\":"
                  + q
                  + ",\"isBase64Encoded\":true}")
              .getBytes(StandardCharsets.UTF_8),
          Map.of());
      sink.accept(
          "CloudEvent data_base64 " + abbreviate(data),
          ("{\"specversion\":\"1.0\",\"type\":\"x\",\"id\":\"1\",\"data_base64\":" + q + "}")
              .getBytes(StandardCharsets.UTF_8),
          Map.of());
    }
  }

  private void hostileHeaders() {
    String[] names = {
      "ce-specversion",
      "ce-type",
      "ce-id",
      "ce-time",
      "ce-source",
      "X-GitHub-Event",
      "X-GitHub-Delivery",
      "X-CloudScheduler-JobName",
      "X-CloudScheduler-ScheduleTime",
      "WebHook-Request-Origin",
      "aeg-event-type",
      "Content-Type"
    };
    String[] values = {
      "",
      " ",
      "1.0",
      "ping",
      "package",
      "registry_package",
      "push",
      "Microsoft.ContainerRegistry.ImagePushed",
      "google.cloud.pubsub.topic.v1.messagePublished",
      "harbor.artifact.pushed",
      "google.cloud.scheduler.job.v1.executed",
      "not a time",
      "2024-08-16T10:00:00Z",
      "99999999999999999999",
      "\u0000",
      "x".repeat(10_000)
    };
    List<String> fixtures = Fixtures.names();
    for (int i = 0; i < 1_500; i++) {
      Map<String, String> headers = new HashMap<>();
      for (int k = random.nextInt(5); k >= 0; k--) {
        headers.put(names[random.nextInt(names.length)], values[random.nextInt(values.length)]);
      }
      String name = fixtures.get(random.nextInt(fixtures.size()));
      byte[] body = random.nextInt(4) == 0 ? new byte[0] : Fixtures.body(name);
      sink.accept(name + " with headers " + headers.keySet(), body, headers);
    }
  }

  private void envelopeBombs() {
    for (int i = 0; i < 300; i++) {
      String body = random.nextBoolean() ? "{\"repository\":\"a\",\"tag\":\"v1\"}" : "{}";
      int layers = 1 + random.nextInt(12);
      StringBuilder kinds = new StringBuilder();
      for (int k = 0; k < layers; k++) {
        switch (random.nextInt(5)) {
          case 0 ->
              body = "{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":" + quote(body) + "}]}";
          case 1 ->
              body =
                  "{\"Type\":\"Notification\",\"MessageId\":\"m\",\"TopicArn\":\"t\","
                      + "\"Message\":"
                      + quote(body)
                      + "}";
          case 2 ->
              body =
                  "{\"message\":{\"data\":\""
                      + Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8))
                      + "\"},\"subscription\":\"s\"}";
          case 3 ->
              body = "{\"specversion\":\"1.0\",\"type\":\"x\",\"id\":\"i\",\"data\":" + body + "}";
          default -> body = quote(body);
        }
        kinds.append(k);
      }
      sink.accept(layers + " envelopes", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] pad(String json, int size) {
    byte[] bytes = new byte[Math.max(size, json.length())];
    java.util.Arrays.fill(bytes, (byte) ' ');
    System.arraycopy(json.getBytes(), 0, bytes, bytes.length - json.length(), json.length());
    return bytes;
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviate(Object value) {
    String s = String.valueOf(value);
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
