package dev.rollgate.events.decode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Small text helpers for messages and ids: everything a sender controls is quoted and cut. */
final class Text {

  private static final int QUOTE_MAX = 80;
  private static final int LINE_MAX = 500;
  // Documentation placeholders: <url-id>, ${TAG}, {{tag}}, values cut short with ... or an
  // ellipsis.
  private static final Pattern PLACEHOLDER =
      Pattern.compile("<[^<>]*>|\\$\\{[^{}]*}|\\{\\{[^{}]*}}|.*(\\.\\.\\.|\u2026)");

  private Text() {}

  /** {@code 'value'}, cut to a readable length, control characters escaped. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("'");
    int n = Math.min(value.length(), QUOTE_MAX);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > QUOTE_MAX) {
      out.append("...(").append(value.length()).append(" chars)");
    }
    return out.append('\'').toString();
  }

  /** One line, of bounded length: for messages that embed a parser's own message. */
  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    String line = message.replaceAll("[\\r\\n\\t]+", " ").trim();
    return line.length() <= LINE_MAX ? line : line.substring(0, LINE_MAX) + "...";
  }

  /** True for documentation placeholders that stand for a value instead of being one. */
  static boolean isPlaceholder(String value) {
    return value != null && value.length() <= 200 && PLACEHOLDER.matcher(value.trim()).matches();
  }

  /** {@code sha256:<hex>} of the bytes: the id of a payload whose sender gives none. */
  static String bodyId(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
