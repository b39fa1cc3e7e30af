package dev.rollgate.core.manifest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an environment's {@code dora:} targets. */
final class DoraParser extends YamlReader {

  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");

  DoraParser(List<String> problems) {
    super(problems);
  }

  DoraTargets targets(Object node, String envPath) {
    String path = envPath + ".dora";
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(
        map, path, "window", "deploymentsPerDay", "leadTime", "changeFailureRate", "timeToRestore");
    Duration window = DoraTargets.DEFAULT_WINDOW;
    if (map.get("window") != null) {
      Duration w = longDuration(map.get("window"), path + ".window");
      window = w == null ? window : w;
    }
    Double perDay = null;
    Object perDayNode = map.get("deploymentsPerDay");
    if (perDayNode instanceof Number n && n.doubleValue() > 0) {
      perDay = n.doubleValue();
    } else if (perDayNode != null) {
      problem(
          path + ".deploymentsPerDay",
          "expected a number greater than zero (succeeded deployments a day, e.g. 1 or 0.2),"
              + " got '"
              + perDayNode
              + "'");
    }
    Duration leadTime =
        map.get("leadTime") == null ? null : longDuration(map.get("leadTime"), path + ".leadTime");
    Double rate = null;
    Object rateNode = map.get("changeFailureRate");
    if (rateNode != null) {
      Matcher m = PERCENT.matcher(String.valueOf(rateNode).trim());
      double value = m.matches() ? Double.parseDouble(m.group(1)) : -1;
      if (value < 0 || value > 100) {
        problem(
            path + ".changeFailureRate",
            "expected a percentage from 0% to 100%, e.g. 10%, got '" + rateNode + "'");
      } else {
        rate = value / 100;
      }
    }
    Duration restore =
        map.get("timeToRestore") == null
            ? null
            : longDuration(map.get("timeToRestore"), path + ".timeToRestore");
    return new DoraTargets(window, perDay, leadTime, rate, restore);
  }
}
