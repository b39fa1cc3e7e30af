package dev.rollgate.gcp.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.functions.HttpRequest;
import dev.rollgate.spring.RollgateAssembly;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * What the Functions Framework hands a function, as the message rollgate's functions take: an HTTP
 * request (its body, headers, query and {@code /webhook/<name>} path), or a CloudEvent written back
 * as structured JSON (CloudEvents 1.0 JSON format), the form the events module decodes (an Eventarc
 * {@code messagePublished} event's Pub/Sub message, an Artifact Registry notification in its data).
 */
final class GcpMessages {

  /** The content type of a structured CloudEvent (CloudEvents HTTP binding, JSON format). */
  static final String CLOUDEVENTS_JSON = "application/cloudevents+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private GcpMessages() {}

  /** The HTTP request; its headers kept apart from the message's own (Spring reserves names). */
  static Message<byte[]> http(HttpRequest request) throws IOException {
    byte[] body = request.getInputStream().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    request
        .getHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), join(values)));
    Map<String, String> query = new LinkedHashMap<>();
    request
        .getQueryParameters()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                query.put(name, values.get(0));
              }
            });
    String endpoint = RollgateAssembly.webhookEndpoint(request.getPath());
    if (endpoint != null) {
      query.putIfAbsent("endpoint", endpoint);
    }
    return MessageBuilder.withPayload(body)
        .setHeader(RollgateAssembly.HTTP_HEADERS_HEADER, headers)
        .setHeader(RollgateAssembly.QUERY_HEADER, query)
        .build();
  }

  /** The CloudEvent in structured JSON, with its content type as the only header. */
  static Message<byte[]> cloudEvent(CloudEvent event) {
    return MessageBuilder.withPayload(structured(event))
        .setHeader(RollgateAssembly.HTTP_HEADERS_HEADER, Map.of("content-type", CLOUDEVENTS_JSON))
        .setHeader(RollgateAssembly.QUERY_HEADER, Map.of())
        .build();
  }

  /**
   * The event as the CloudEvents JSON format writes it: context attributes and extensions as
   * members; JSON data as {@code data}, any other data as {@code data_base64}.
   */
  static byte[] structured(CloudEvent event) {
    ObjectNode out = JSON.createObjectNode();
    out.put("specversion", event.getSpecVersion().toString());
    out.put("id", event.getId());
    out.put("source", event.getSource().toString());
    out.put("type", event.getType());
    if (event.getDataContentType() != null) {
      out.put("datacontenttype", event.getDataContentType());
    }
    if (event.getDataSchema() != null) {
      out.put("dataschema", event.getDataSchema().toString());
    }
    if (event.getSubject() != null) {
      out.put("subject", event.getSubject());
    }
    if (event.getTime() != null) {
      out.put("time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.getTime()));
    }
    for (String name : event.getExtensionNames()) {
      Object value = event.getExtension(name);
      if (value != null && !out.has(name)) {
        out.put(name, value.toString());
      }
    }
    if (event.getData() != null) {
      byte[] data = event.getData().toBytes();
      JsonNode json = isJson(event.getDataContentType()) ? parse(data) : null;
      if (json != null) {
        out.set("data", json);
      } else {
        out.put("data_base64", Base64.getEncoder().encodeToString(data));
      }
    }
    try {
      return JSON.writeValueAsBytes(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the CloudEvent " + event.getId(), e);
    }
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return true; // Eventarc's Pub/Sub events say application/json; unset means JSON too
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    type = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    return type.equals("application/json") || type.equals("text/json") || type.endsWith("+json");
  }

  /** The data as JSON, or null when it is not (then it travels as {@code data_base64}). */
  private static JsonNode parse(byte[] data) {
    try {
      return data.length == 0 ? null : JSON.readTree(data);
    } catch (IOException e) {
      return null;
    }
  }

  private static String join(List<String> values) {
    return values.size() == 1 ? values.get(0) : String.join(", ", values);
  }
}
