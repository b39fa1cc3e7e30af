package dev.rollgate.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge (RFC 7235): its scheme and parameters, e.g. {@code Bearer
 * realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"}.
 */
record Challenge(String scheme, Map<String, String> params) {

  /** The challenges of every {@code WWW-Authenticate} header, in order; malformed ones skipped. */
  static List<Challenge> parseAll(List<String> headers) {
    List<Challenge> out = new ArrayList<>();
    for (String header : headers) {
      Challenge c = parse(header);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /** One header with one challenge; null when it names no scheme. */
  static Challenge parse(String header) {
    String s = header.strip();
    int space = s.indexOf(' ');
    String scheme = (space < 0 ? s : s.substring(0, space)).toLowerCase(Locale.ROOT);
    if (scheme.isEmpty()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    int i = space < 0 ? s.length() : space + 1;
    while (i < s.length()) {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
        i++;
      }
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder value = new StringBuilder();
      if (i < s.length() && s.charAt(i) == '"') {
        // A quoted string may hold commas (scope="repository:x:pull,push") and escapes.
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\' && i + 1 < s.length()) {
            i++;
          }
          value.append(s.charAt(i++));
        }
        i++;
      } else {
        while (i < s.length() && s.charAt(i) != ',') {
          value.append(s.charAt(i++));
        }
      }
      params.put(key, value.toString().strip());
    }
    return new Challenge(scheme, params);
  }

  String param(String name) {
    return params.get(name);
  }
}
