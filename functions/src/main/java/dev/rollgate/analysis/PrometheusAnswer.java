package dev.rollgate.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.manifest.PrometheusSpec.Threshold;
import dev.rollgate.core.port.MetricsGate.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Judges the body of an answer of Prometheus's instant query API ({@code /api/v1/query}): the
 * envelope {@code {"status", "data": {"resultType", "result"}, "errorType", "error", "warnings"}},
 * an instant vector's samples {@code {"metric": {...}, "value": [ts, "1.5"]}} or a scalar's {@code
 * [ts, "1.5"]}, values as strings that may be {@code NaN}, {@code +Inf} or {@code -Inf}.
 */
final class PrometheusAnswer {

  /** How many series a detail names before it says "and N more". */
  static final int LISTED = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusAnswer() {}

  /** One value of the answer: the series it belongs to, as PromQL writes it, and the number. */
  record Sample(String series, String text, double value) {
    @Override
    public String toString() {
      return series + " = " + text;
    }
  }

  /** The envelope's {@code errorType} and {@code error}, when the body is one; else null. */
  static String error(String body) {
    JsonNode root = parse(body);
    if (root == null || !root.hasNonNull("error")) {
      return null;
    }
    String type = root.path("errorType").asText("");
    return (type.isEmpty() ? "" : type + ": ") + root.get("error").asText();
  }

  /** The verdict on a 2xx answer's body. */
  static Verdict judge(String body, Threshold expect) {
    JsonNode root = parse(body);
    if (root == null || !root.has("status")) {
      return fail("the answer is not a Prometheus API response: " + PrometheusGate.snippet(body));
    }
    if (!"success".equals(root.path("status").asText())) {
      String error = error(body);
      return fail(
          "Prometheus answered status '"
              + root.path("status").asText()
              + "'"
              + (error == null ? "" : ": " + error));
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    List<Sample> samples = new ArrayList<>();
    switch (type) {
      case "vector" -> {
        for (JsonNode s : result) {
          samples.add(sample(series(s.path("metric")), s.path("value")));
        }
      }
      case "scalar" -> samples.add(sample("scalar", result));
      case "matrix" -> {
        return fail(
            "the query returned a range vector (resultType matrix, "
                + result.size()
                + " series); the gate needs one value per series: end the query with a function"
                + " over the range, e.g. rate(x[30s]) or avg_over_time(x[30s])");
      }
      default -> {
        return fail(
            "the query returned resultType '"
                + type
                + "'; the gate needs an instant vector or a scalar");
      }
    }
    String warnings = warnings(root);
    if (samples.isEmpty()) {
      return fail("no data: the query returned no series" + warnings);
    }
    List<Sample> bad = new ArrayList<>();
    List<Sample> notNumbers = new ArrayList<>();
    for (Sample s : samples) {
      if (s == null) {
        return fail("the answer holds a sample that is not [timestamp, \"value\"]: " + result);
      }
      if (Double.isNaN(s.value())) {
        notNumbers.add(s);
      } else if (!expect.holds(s.value())) {
        bad.add(s);
      }
    }
    if (!notNumbers.isEmpty()) {
      return fail(
          "not a number: "
              + list(notNumbers)
              + " (NaN: e.g. 0/0, a ratio over a window with no requests)"
              + warnings);
    }
    if (!bad.isEmpty()) {
      return fail(list(bad) + (bad.size() == 1 ? " violates " : " violate ") + expect + warnings);
    }
    return new Verdict(
        true,
        (samples.size() == 1 ? "1 series, " : samples.size() + " series, each ")
            + expect
            + ": "
            + list(samples)
            + warnings);
  }

  private static Sample sample(String series, JsonNode value) {
    if (!value.isArray() || value.size() != 2 || !value.get(1).isTextual()) {
      return null;
    }
    String text = value.get(1).asText();
    return new Sample(series, text, number(text));
  }

  /** Prometheus writes floats as Go formats them: NaN, +Inf, -Inf, or a decimal. */
  static double number(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
    };
  }

  /** {@code name{label="value",...}}, as PromQL writes a series. */
  static String series(JsonNode metric) {
    String name = metric.path("__name__").asText("");
    StringJoiner labels = new StringJoiner(",", "{", "}");
    Iterator<Map.Entry<String, JsonNode>> fields = metric.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!f.getKey().equals("__name__")) {
        labels.add(f.getKey() + "=\"" + PromQlPlaceholders.escape(f.getValue().asText()) + "\"");
      }
    }
    return name + labels;
  }

  private static String list(List<Sample> samples) {
    StringJoiner j = new StringJoiner(", ");
    samples.stream().limit(LISTED).forEach(s -> j.add(s.toString()));
    if (samples.size() > LISTED) {
      j.add("and " + (samples.size() - LISTED) + " more");
    }
    return j.toString();
  }

  private static String warnings(JsonNode root) {
    JsonNode w = root.path("warnings");
    if (!w.isArray() || w.isEmpty()) {
      return "";
    }
    List<String> texts = new ArrayList<>();
    w.forEach(n -> texts.add(n.asText()));
    return " (Prometheus warns: " + String.join("; ", texts) + ")";
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      return root != null && root.isObject() ? root : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Verdict fail(String reason) {
    return new Verdict(false, reason);
  }
}
