package dev.rollgate.core.manifest;

import dev.rollgate.core.manifest.CanarySpec.Analysis;
import dev.rollgate.core.manifest.PrometheusSpec.Threshold;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an environment's {@code strategy:} (today only {@code canary:}), with the defaults of
 * {@link CanarySpec}.
 */
final class CanaryParser extends YamlReader {

  private static final Pattern EXPECT =
      Pattern.compile("(<=|>=|==|<|>)\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE]-?[0-9]+)?)");
  private static final Pattern PERCENT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*%");
  static final Duration DEFAULT_PROMETHEUS_TIMEOUT = Duration.ofSeconds(5);

  CanaryParser(List<String> problems) {
    super(problems);
  }

  /** The canary of {@code strategy:}, or null when there is none (or it is invalid). */
  CanarySpec strategy(Object node, String path) {
    if (node == null) {
      return null;
    }
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "canary");
    if (!map.containsKey("canary")) {
      problem(
          path, "empty: name a strategy (canary:) or leave strategy out to release all at once");
      return null;
    }
    return canary(map.get("canary"), path + ".canary");
  }

  private CanarySpec canary(Object node, String path) {
    Map<String, Object> map = node == null ? Map.of() : map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "steps", "pause", "analysis");
    List<Integer> steps = steps(map.get("steps"), path + ".steps");
    Duration pause = duration(map.get("pause"), path + ".pause", CanarySpec.DEFAULT_PAUSE);
    Analysis analysis = analysis(map.get("analysis"), path + ".analysis");
    if (steps == null || analysis == null) {
      return null;
    }
    return new CanarySpec(steps, pause, analysis, path);
  }

  private List<Integer> steps(Object node, String path) {
    if (node == null) {
      return CanarySpec.DEFAULT_STEPS;
    }
    if (!(node instanceof List<?> list) || list.isEmpty()) {
      problem(path, "expected a list of shares in percent, e.g. [10, 50, 100]");
      return null;
    }
    List<Integer> steps = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      Object v = list.get(i);
      String at = path + "[" + i + "]";
      if (!(v instanceof Integer share)) {
        problem(at, "expected a whole percentage 1..100, got '" + v + "'");
        ok = false;
        continue;
      }
      if (share < 1 || share > 100) {
        problem(at, "a share is 1..100 percent, got " + share);
        ok = false;
      } else if (!steps.isEmpty() && share <= steps.get(steps.size() - 1)) {
        problem(
            at,
            "steps must be strictly increasing: "
                + share
                + " does not follow "
                + steps.get(steps.size() - 1));
        ok = false;
      }
      steps.add(share);
    }
    if (ok && steps.get(steps.size() - 1) != 100) {
      problem(
          path,
          "the last step must be 100 (the new revision takes all traffic after it passes), got "
              + steps);
      ok = false;
    }
    return ok ? steps : null;
  }

  private Analysis analysis(Object node, String path) {
    Analysis d = Analysis.defaults();
    if (node == null) {
      return d;
    }
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "success-rate", "latency", "prometheus");
    double rate = successRate(map.get("success-rate"), path + ".success-rate", d.successRate());
    Duration latency = duration(map.get("latency"), path + ".latency", d.latency());
    PrometheusSpec prometheus =
        map.get("prometheus") == null
            ? null
            : prometheus(map.get("prometheus"), path + ".prometheus");
    return new Analysis(rate, latency, prometheus);
  }

  /** {@code 99%} or {@code 0.99}. */
  private double successRate(Object node, String path, double dflt) {
    if (node == null) {
      return dflt;
    }
    double rate;
    Matcher m = PERCENT.matcher(String.valueOf(node).trim());
    if (m.matches()) {
      rate = Double.parseDouble(m.group(1)) / 100;
    } else if (node instanceof Number n) {
      rate = n.doubleValue();
    } else {
      problem(path, "expected a percentage like 99% or a fraction like 0.99, got '" + node + "'");
      return dflt;
    }
    if (rate <= 0 || rate > 1) {
      problem(path, "must be more than 0% and at most 100%, got '" + node + "'");
      return dflt;
    }
    return rate;
  }

  private PrometheusSpec prometheus(Object node, String path) {
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "url", "query", "expect", "bearer-token", "timeout");
    URI url = null;
    String urlText = string(map.get("url"), path + ".url", true);
    if (urlText != null) {
      try {
        url = new URI(urlText);
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
            || url.getHost() == null) {
          problem(path + ".url", "not an absolute http(s) URL: '" + urlText + "'");
          url = null;
        }
      } catch (URISyntaxException e) {
        problem(path + ".url", "not a URL: '" + urlText + "'");
      }
    }
    String query = string(map.get("query"), path + ".query", true);
    Threshold expect = null;
    String expectText = string(map.get("expect"), path + ".expect", true);
    if (expectText != null) {
      Matcher m = EXPECT.matcher(expectText);
      if (m.matches()) {
        expect = new Threshold(m.group(1), Double.parseDouble(m.group(2)));
      } else {
        problem(
            path + ".expect",
            "expected a comparison and a number, e.g. \"< 0.01\" (one of <, <=, >, >=, ==), got '"
                + expectText
                + "'");
      }
    }
    SecretRef token =
        map.get("bearer-token") == null
            ? null
            : secret(map.get("bearer-token"), path + ".bearer-token", true);
    Duration timeout = duration(map.get("timeout"), path + ".timeout", DEFAULT_PROMETHEUS_TIMEOUT);
    if (url == null || query == null || expect == null) {
      return null;
    }
    return new PrometheusSpec(url, query, expect, token, timeout, path);
  }
}
