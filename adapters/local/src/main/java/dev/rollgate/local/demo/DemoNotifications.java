package dev.rollgate.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.events.auth.Provider;
import dev.rollgate.events.auth.SenderVerifier;
import dev.rollgate.local.notify.BlockKitText;
import dev.rollgate.local.notify.LocalReceiver;
import dev.rollgate.local.notify.LocalReceiver.Message;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The demo's notifications: a {@link LocalReceiver} standing in for Slack, Discord, Teams and a
 * webhook peer, and the demo's manifest with a {@code notifications:} block routing every event to
 * all four (their URLs and the webhook's signing key as {@code file:} secret references in the
 * state directory, since the receiver's port is known only once it runs).
 */
final class DemoNotifications implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalReceiver receiver;
  private final Path manifest;
  private final int hostPort;
  private final String signingKey;

  private DemoNotifications(LocalReceiver receiver, Path manifest, int hostPort, String key) {
    this.receiver = receiver;
    this.manifest = manifest;
    this.hostPort = hostPort;
    this.signingKey = key;
  }

  /**
   * Starts the receiver and writes {@code home/manifest/}: the manifest with the notifications
   * block, next to links to everything else in the manifest's directory, so that its relative paths
   * (releases, the sample service) resolve as before.
   */
  static DemoNotifications prepare(Path original, Path home) throws IOException {
    return prepare(original, home, UnaryOperator.identity());
  }

  /**
   * As {@link #prepare(Path, Path)}, with the manifest's text passed through {@code edit} first.
   */
  static DemoNotifications prepare(Path original, Path home, UnaryOperator<String> edit)
      throws IOException {
    LocalReceiver receiver = LocalReceiver.start();
    Path secrets = Files.createDirectories(home.resolve("receiver")).toAbsolutePath();
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String key = HexFormat.of().formatHex(random);
    Files.writeString(secrets.resolve("webhook.key"), key);
    StringBuilder block = new StringBuilder();
    int port = freePort();
    block.append("\n# Added by the demo: every event to its local receiver, as each service.\n");
    block.append("notifications:\n  statusPage: http://127.0.0.1:").append(port).append('\n');
    block.append("  channels:\n");
    for (String service : LocalReceiver.SERVICES) {
      Path url = secrets.resolve(service + ".url");
      Files.writeString(url, receiver.url(service, "demo"));
      block.append(
          "    demo-%s: { type: %s, url: \"file:%s\"%s }\n"
              .formatted(
                  service,
                  service,
                  url,
                  service.equals("webhook")
                      ? ", secret: \"file:" + secrets.resolve("webhook.key") + "\""
                      : ""));
    }
    block.append("  routes:\n");
    for (String service : LocalReceiver.SERVICES) {
      block.append("    - channel: demo-").append(service).append('\n');
    }
    Path dir = Files.createDirectories(home.resolve("manifest")).toAbsolutePath();
    Path from = original.toAbsolutePath().getParent();
    try (Stream<Path> entries = Files.list(from)) {
      for (Path p : entries.toList()) {
        if (!p.getFileName().equals(original.getFileName())) {
          Files.createSymbolicLink(dir.resolve(p.getFileName().toString()), p);
        }
      }
    }
    Path manifest = dir.resolve(original.getFileName().toString());
    Files.writeString(manifest, edit.apply(Files.readString(original)) + block);
    return new DemoNotifications(receiver, manifest, port, key);
  }

  Path manifest() {
    return manifest;
  }

  int hostPort() {
    return hostPort;
  }

  String receiverUrl() {
    return receiver.url("", "").replaceFirst("/+$", "");
  }

  /**
   * Waits for the deliveries of what the demo did (the tampered backup's failure and the RPO it
   * leaves exceeded come last), prints what Slack would have shown, and returns what was received.
   */
  List<Message> show(PrintStream out) throws IOException, InterruptedException {
    List<Message> got =
        receiver.await(
            all ->
                Stream.of("backup.failed", "backup.rpo-exceeded")
                    .allMatch(
                        event ->
                            all.stream()
                                .anyMatch(
                                    m -> m.service().equals("slack") && m.text().contains(event))),
            Duration.ofSeconds(15));
    List<Message> slack = got.stream().filter(m -> m.service().equals("slack")).toList();
    out.println();
    out.println(
        "What Slack would have received (" + slack.size() + " messages, Block Kit as text)");
    String button = null;
    for (Message m : slack) {
      List<String> lines = BlockKitText.lines(JSON.readTree(m.body()));
      // header, section text, fields, [button] url, context: the fields but "Took" and the
      // button's link (the same on every message) are left out to keep it to two lines.
      String took = "";
      for (String line : lines) {
        if (line.startsWith("[")) {
          button = line;
        }
        int at = line.indexOf("Took: ");
        if (at >= 0) {
          took = " · took " + line.substring(at + 6).replaceFirst(" · .*", "");
        }
      }
      out.println("  * " + lines.get(0) + took);
      if (lines.size() > 1 && !lines.get(1).startsWith("App: ")) {
        out.println("      " + abbreviate(lines.get(1), 140));
      }
    }
    if (button != null) {
      out.println(
          "  (each with the fields App, Environment, Version, Deployment and " + button + ")");
    }
    return got;
  }

  /** How many of the webhook's messages verify with rollgate's own verifier and the demo's key. */
  long verifiedWebhooks(List<Message> got) {
    SenderVerifier verifier = new SenderVerifier();
    return got.stream()
        .filter(m -> m.service().equals("webhook"))
        .filter(
            m ->
                verifier
                    .verify(Provider.HMAC, signingKey, m.body(), m.headers(), Instant.now())
                    .ok())
        .count();
  }

  /** Whether any body holds the webhook's signing key or the receiver's channel paths' secret. */
  boolean anySecretIn(List<Message> got) {
    return got.stream().anyMatch(m -> m.text().contains(signingKey));
  }

  private static String abbreviate(String s, int max) {
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    receiver.close();
  }
}
