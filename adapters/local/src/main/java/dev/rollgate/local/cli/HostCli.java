package dev.rollgate.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code scripts/rollgate backup | verify-backup | status | verify-ledger | abort | dora | plan}:
 * asks a running local host (default {@code http://127.0.0.1:8787}, or {@code --host} / {@code
 * ROLLGATE_HOST}) and prints its answer. Exit codes: 0 done (and, for verify-backup and
 * verify-ledger, verified; for abort, recorded), 1 the verification failed (for abort: the
 * deployment had finished), 2 an error.
 */
public final class HostCli {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HostCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: rollgate backup|verify-backup --app APP --env ENV [--host URL]");
      err.println("       rollgate status|verify-ledger [--host URL]");
      err.println(
          "       rollgate abort --deployment ID [--reason WHY] [--by WHO] [--host URL]"
              + " (token in ROLLGATE_TOKEN or --token-file PATH)");
      err.println(
          "       rollgate dora [--app APP] [--env ENV] [--since 30d] [--json] [--host URL]");
      err.println("       rollgate plan --event FILE|- [--host URL]");
      return 2;
    }
    String command = args[0];
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--json")) {
        options.put("json", "true");
        continue;
      }
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        err.println("rollgate " + command + ": expected --option value, got '" + args[i] + "'");
        return 2;
      }
      options.put(args[i].substring(2), args[++i]);
    }
    String env = System.getenv("ROLLGATE_HOST");
    String host = options.getOrDefault("host", env == null ? "http://127.0.0.1:8787" : env);
    try {
      return switch (command) {
        case "backup", "verify-backup" -> backup(command, options, host, out, err);
        case "status" -> status(host, out);
        case "dora" -> dora(options, host, out, err);
        case "verify-ledger" -> verifyLedger(host, out, err);
        case "abort" -> abort(options, host, out, err);
        case "plan" -> plan(options, host, out, err);
        default -> {
          err.println("rollgate: unknown command '" + command + "'");
          yield 2;
        }
      };
    } catch (ConnectException e) {
      err.println(
          "rollgate "
              + command
              + ": no local host answers at "
              + host
              + ": start one with 'scripts/rollgate host' (or pass --host)");
      return 2;
    } catch (IOException e) {
      err.println("rollgate " + command + ": " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    }
  }

  private static int backup(
      String command, Map<String, String> options, String host, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    String app = options.get("app");
    String environment = options.get("env");
    if (app == null || environment == null) {
      err.println("rollgate " + command + ": name --app and --env");
      return 2;
    }
    String path = command.equals("backup") ? "/backup" : "/verifyBackup";
    String body =
        JSON.createObjectNode().put("app", app).put("environment", environment).toString();
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(host + path))
                .timeout(Duration.ofHours(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    JsonNode json = JSON.readTree(r.body());
    if (r.statusCode() != 200) {
      err.println("rollgate " + command + ": " + json.path("error").asText(r.body()));
      return 2;
    }
    out.println(json.path("summary").asText());
    for (JsonNode check : json.path("checks")) {
      out.printf(
          "  %-4s %-16s %s%n",
          check.path("passed").asBoolean() ? "ok" : "FAIL",
          check.path("name").asText(),
          check.path("detail").asText());
    }
    return command.equals("verify-backup") && !json.path("passed").asBoolean() ? 1 : 0;
  }

  private static int status(String host, PrintStream out) throws IOException, InterruptedException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(host + "/status"))
                .timeout(Duration.ofSeconds(30))
                .build());
    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(r.body())));
    return r.statusCode() == 200 ? 0 : 2;
  }

  /**
   * Asks the host to stop a deployment in flight, with the promotion token from {@code
   * ROLLGATE_TOKEN} or {@code --token-file} (never the token itself as an argument: arguments are
   * visible to every user of the machine).
   */
  private static int abort(
      Map<String, String> options, String host, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    String id = options.get("deployment");
    if (id == null) {
      err.println("rollgate abort: name --deployment ID (the id 'rollgate status' shows)");
      return 2;
    }
    String token;
    if (options.containsKey("token-file")) {
      token = Files.readString(Path.of(options.get("token-file"))).strip();
    } else {
      token = System.getenv("ROLLGATE_TOKEN");
    }
    if (token == null || token.isBlank()) {
      err.println(
          "rollgate abort: set ROLLGATE_TOKEN (or --token-file PATH) to the promotion token, the"
              + " secret rollgate.yaml's promotion.token names");
      return 2;
    }
    var body = JSON.createObjectNode().put("deployment", id);
    body.put("by", options.getOrDefault("by", System.getProperty("user.name")));
    if (options.containsKey("reason")) {
      body.put("reason", options.get("reason"));
    }
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(host + "/abort"))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    JsonNode json = JSON.readTree(r.body());
    if (r.statusCode() != 202) {
      err.println("rollgate abort: " + json.path("error").asText(r.body()));
      return r.statusCode() == 409 ? 1 : 2;
    }
    JsonNode d = json.path("deployment");
    out.println(
        (json.path("recorded").asBoolean() ? "abort recorded" : "abort was recorded before")
            + ": deployment "
            + d.path("id").asText()
            + " ("
            + d.path("app").asText()
            + "/"
            + d.path("environment").asText()
            + ") is "
            + d.path("phase").asText()
            + ": "
            + d.path("detail").asText());
    return 0;
  }

  private static int dora(
      Map<String, String> options, String host, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(host + DoraCommand.path(options)))
                .timeout(Duration.ofSeconds(30))
                .build());
    JsonNode json = JSON.readTree(r.body());
    if (r.statusCode() != 200) {
      err.println("rollgate dora: " + json.path("error").asText(r.body()));
      return 2;
    }
    return DoraCommand.print(json, options, out, err);
  }

  /**
   * The host recomputes the ledger's whole hash chain ({@code ?chain=full}); this prints its
   * verdict.
   */
  private static int verifyLedger(String host, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(host + "/status?chain=full"))
                .timeout(Duration.ofMinutes(10))
                .build());
    JsonNode json = JSON.readTree(r.body());
    JsonNode ledger = json.path("ledger");
    if (r.statusCode() != 200 || !ledger.has("chain")) {
      err.println(
          "rollgate verify-ledger: the host at "
              + host
              + " gave no ledger verdict: "
              + json.path("error").asText("HTTP " + r.statusCode()));
      return 2;
    }
    String chain = ledger.path("chain").asText();
    out.println(
        "ledger transition log: "
            + chain
            + " ("
            + ledger.path("transitions").asLong()
            + " transitions checked)");
    return "intact".equals(chain) ? 0 : 1;
  }

  /**
   * Asks the host what an event would do and prints it: each environment deployed or refused (and
   * why), the migrations pending, each field of the target that would change. Exit 0 when something
   * would deploy, 2 when nothing would (the reasons printed) or on an error.
   */
  private static int plan(
      Map<String, String> options, String host, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    String file = options.get("event");
    if (file == null) {
      err.println("rollgate plan: name --event FILE (or - for standard input)");
      return 2;
    }
    byte[] event = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(host + "/plan"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event))
                .build());
    JsonNode json = JSON.readTree(r.body());
    if (r.statusCode() != 200) {
      err.println("rollgate plan: " + json.path("error").asText(r.body()));
      return 2;
    }
    for (JsonNode e : json.path("environments")) {
      out.printf(
          "%s/%s: %s %s%n",
          e.path("app").asText(),
          e.path("environment").asText(),
          e.path("decision").asText(),
          e.path("image").asText());
      if (!e.path("decision").asText().equals("deploy")) {
        out.println("  reason: " + e.path("reason").asText());
        continue;
      }
      out.println("  target: " + e.path("target").asText());
      JsonNode m = e.path("migrations");
      out.println("  migrations: " + m.path("detail").asText());
      if (m.hasNonNull("current")) {
        out.println("    schema now at version " + m.path("current").asText());
      }
      for (JsonNode p : m.path("pending")) {
        out.println("    pending " + p.asText());
      }
      if (e.has("changesUnknown")) {
        out.println("  changes: unknown: " + e.path("changesUnknown").asText());
      } else if (e.path("changes").isEmpty()) {
        out.println("  changes: none (the same revision settings serve now)");
      } else {
        out.println("  changes:");
        for (JsonNode c : e.path("changes")) {
          out.println("    " + c.path("field").asText());
          out.println("      - " + (c.path("from").isNull() ? "(none)" : c.path("from").asText()));
          out.println("      + " + (c.path("to").isNull() ? "(none)" : c.path("to").asText()));
        }
      }
    }
    boolean wouldDeploy = json.path("wouldDeploy").asBoolean();
    if (!wouldDeploy) {
      out.println("nothing would happen:");
      for (JsonNode reason : json.path("reasons")) {
        out.println("  " + reason.asText());
      }
    }
    return wouldDeploy ? 0 : 2;
  }

  private static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(3))
        .build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }
}
