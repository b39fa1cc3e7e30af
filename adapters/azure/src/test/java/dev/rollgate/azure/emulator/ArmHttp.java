package dev.rollgate.azure.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.rollgate.azure.emulator.ArmFaults.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The ARM fake's HTTP: reading requests, answering JSON, ARM's error shape, the faults' answers.
 */
final class ArmHttp {

  private ArmHttp() {}

  static void fault(HttpExchange x, Kind kind) throws IOException {
    switch (kind) {
      case THROTTLED -> {
        x.getResponseHeaders().add("Retry-After", "1");
        send(x, 429, error("TooManyRequests", "The request is being throttled."));
      }
      case SERVER_ERROR ->
          send(
              x,
              500,
              error(
                  "InternalServerError",
                  "An unexpected error occured while processing the request."));
      case UNAVAILABLE -> {
        x.getResponseHeaders().add("Retry-After", "1");
        send(x, 503, error("ServiceUnavailable", "The service is temporarily unavailable."));
      }
      case CONFLICT ->
          send(
              x,
              409,
              error(
                  "ContainerAppOperationInProgress",
                  "Cannot modify a container app while another operation is in progress."));
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  static ObjectNode error(String code, String message) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.putObject("error").put("code", code).put("message", message);
    return e;
  }

  static JsonNode body(HttpExchange x) throws IOException {
    try (InputStream in = x.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return null;
      }
      try {
        return Json.MAPPER.readTree(bytes);
      } catch (IOException e) {
        throw new ArmError(
            400, "InvalidRequestContent", "The request content was invalid: " + e.getMessage());
      }
    }
  }

  static String query(HttpExchange x, String name) {
    String q = x.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String p : q.split("&")) {
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).equals(name)) {
        return URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static void send(HttpExchange x, int status, JsonNode body) throws IOException {
    if (body == null) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
  }
}
