package dev.rollgate.core.manifest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads an environment's {@code health:} settings, with the defaults of {@link HealthSpec}. */
final class HealthParser extends YamlReader {
  HealthParser(List<String> problems) {
    super(problems);
  }

  HealthSpec health(Object node, String path) {
    HealthSpec d = HealthSpec.defaults();
    if (node == null) {
      return d;
    }
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(
        map,
        path,
        "url",
        "expectStatus",
        "json",
        "interval",
        "timeout",
        "successThreshold",
        "failureThreshold",
        "deadline");
    String url = string(map.get("url"), path + ".url", false);
    if (url == null) {
      url = d.url();
    } else if (!url.startsWith("{url}")
        && !url.startsWith("http://")
        && !url.startsWith("https://")) {
      problem(
          path + ".url", "not an absolute http(s) URL nor one starting with {url}: '" + url + "'");
    }
    int status = integer(map.get("expectStatus"), path + ".expectStatus", d.expectStatus());
    if (status < 100 || status > 599) {
      problem(path + ".expectStatus", "not an HTTP status: " + status);
    }
    String jsonField = null;
    String jsonValue = null;
    Object json = map.get("json");
    if (json != null) {
      Map<String, Object> j = map(json, path + ".json");
      if (j != null) {
        known(j, path + ".json", "field", "equals");
        jsonField = string(j.get("field"), path + ".json.field", true);
        jsonValue = string(j.get("equals"), path + ".json.equals", true);
      }
    }
    Duration interval = duration(map.get("interval"), path + ".interval", d.interval());
    Duration timeout = duration(map.get("timeout"), path + ".timeout", d.timeout());
    int successes = integer(map.get("successThreshold"), path + ".successThreshold", 3);
    int failures = integer(map.get("failureThreshold"), path + ".failureThreshold", 3);
    Duration deadline = duration(map.get("deadline"), path + ".deadline", d.deadline());
    if (successes < 1) {
      problem(path + ".successThreshold", "must be at least 1");
    }
    if (failures < 1) {
      problem(path + ".failureThreshold", "must be at least 1");
    }
    if (deadline.compareTo(interval.multipliedBy(successes)) < 0) {
      problem(
          path + ".deadline",
          "shorter than successThreshold x interval ("
              + interval.multipliedBy(successes).toMillis()
              + "ms): verification could never succeed");
    }
    return new HealthSpec(
        url, status, jsonField, jsonValue, interval, timeout, successes, failures, deadline);
  }
}
