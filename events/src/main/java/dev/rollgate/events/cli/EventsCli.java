package dev.rollgate.events.cli;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Delivery;
import dev.rollgate.events.EventDecoder;
import dev.rollgate.events.Trigger;
import dev.rollgate.events.auth.Provider;
import dev.rollgate.events.auth.SenderVerifier;
import dev.rollgate.events.auth.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rollgate decode} and {@code rollgate verify-signature}: check a payload or a signature the
 * way the functions will, before wiring a sender. Exit 0 when decoded or valid, 2 when not (one
 * line on stderr), 64 for a wrong command line.
 */
public final class EventsCli {

  static final int OK = 0;
  static final int REJECTED = 2;
  static final int USAGE = 64;

  private static final String USAGE_TEXT =
      "usage: rollgate decode [--header 'Name: value']... [--received-at ISO-8601] FILE|-\n"
          + "       rollgate verify-signature --provider github|harbor|dockerhub|quay|hmac\n"
          + "           (--secret S | --secret-env VAR | --secret-file PATH)\n"
          + "           [--signature SIG] [--timestamp EPOCH-SECONDS] [--token T]\n"
          + "           [--header 'Name: value']... [--now ISO-8601] FILE|-";

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Instant now;
  private final Map<String, String> env;

  EventsCli(
      InputStream in, PrintStream out, PrintStream err, Instant now, Map<String, String> env) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.now = now;
    this.env = env;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(new EventsCli(System.in, out, err, Instant.now(), System.getenv()).run(args));
  }

  /** Runs one command; returns the exit status. */
  int run(String[] args) {
    if (args.length == 0) {
      return usage(null);
    }
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      out.println(USAGE_TEXT);
      return OK;
    }
    try {
      CliOptions options = CliOptions.parse(args);
      switch (args[0]) {
        case "decode":
          return decode(options);
        case "verify-signature":
          return verify(options);
        default:
          return usage("unknown command '" + args[0] + "'");
      }
    } catch (UsageException e) {
      return usage(e.getMessage());
    }
  }

  private int decode(CliOptions options) throws UsageException {
    options.allow("--header", "--received-at");
    Instant receivedAt = options.instant("--received-at", now);
    byte[] body;
    try {
      body = read(options.file());
    } catch (IOException e) {
      return reject(e.getMessage());
    }
    try {
      List<Trigger> triggers = new EventDecoder().decode(body, options.headers(), receivedAt);
      out.print(TriggerJson.pretty(TriggerJson.toJson(triggers)));
      return OK;
    } catch (DecodeException e) {
      return reject(e.getMessage());
    }
  }

  private int verify(CliOptions options) throws UsageException {
    options.allow(
        "--provider",
        "--secret",
        "--secret-env",
        "--secret-file",
        "--signature",
        "--timestamp",
        "--token",
        "--header",
        "--now");
    Provider provider;
    try {
      provider = Provider.parse(options.required("--provider"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    String secret = secret(options);
    byte[] body;
    try {
      body = read(options.file());
    } catch (IOException e) {
      return reject(e.getMessage());
    }
    Map<String, String> headers = new LinkedHashMap<>(options.headers());
    String signature = options.single("--signature");
    if (signature != null) {
      headers.put(signatureHeader(provider), signature);
    }
    if (options.single("--timestamp") != null) {
      headers.put(SenderVerifier.TIMESTAMP, options.single("--timestamp"));
    }
    if (options.single("--token") != null) {
      headers.put(SenderVerifier.TOKEN, options.single("--token"));
    }
    try {
      Delivery delivery = new EventDecoder().unwrap(body, headers);
      Verification v =
          new SenderVerifier()
              .verify(
                  provider,
                  secret,
                  delivery.body(),
                  delivery.headers(),
                  options.instant("--now", now));
      if (!v.ok()) {
        return reject(v.reason());
      }
      out.println("valid: " + v.reason());
      return OK;
    } catch (DecodeException e) {
      return reject(e.getMessage());
    }
  }

  private static String signatureHeader(Provider provider) {
    switch (provider) {
      case GITHUB:
        return SenderVerifier.GITHUB_SIGNATURE;
      case HARBOR:
        return SenderVerifier.AUTHORIZATION;
      case HMAC:
        return SenderVerifier.SIGNATURE;
      default:
        return SenderVerifier.TOKEN;
    }
  }

  private String secret(CliOptions options) throws UsageException {
    String direct = options.single("--secret");
    String variable = options.single("--secret-env");
    String file = options.single("--secret-file");
    int given = (direct != null ? 1 : 0) + (variable != null ? 1 : 0) + (file != null ? 1 : 0);
    if (given != 1) {
      throw new UsageException("give the secret once: --secret, --secret-env or --secret-file");
    }
    if (direct != null) {
      return direct;
    }
    if (variable != null) {
      String value = env.get(variable);
      if (value == null) {
        throw new UsageException("--secret-env " + variable + ": the variable is not set");
      }
      return value;
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UsageException("--secret-file " + file + ": cannot read it");
    }
  }

  private byte[] read(String file) throws IOException {
    if (file.equals("-")) {
      return in.readAllBytes();
    }
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file");
    } catch (IOException e) {
      throw new IOException(file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
  }

  private int reject(String message) {
    err.println(message.replaceAll("[\\r\\n]+", " "));
    return REJECTED;
  }

  private int usage(String problem) {
    if (problem != null) {
      err.println("rollgate: " + problem);
    }
    err.println(USAGE_TEXT);
    return USAGE;
  }
}
