package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reads the times senders write: ISO-8601 with any offset, epoch seconds or milliseconds. */
final class Times {

  // Before this, a time is a placeholder (Go's zero time 0001-01-01, epoch 0), not a fact.
  private static final Instant EARLIEST = Instant.parse("1971-01-01T00:00:00Z");
  // The range every ledger stores (PostgreSQL's timestamptz reaches 294276 AD, Java's Instant
  // further): a time outside it is refused here, where the field can still be named.
  private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
  private static final long MILLIS_FROM = 100_000_000_000L; // 1973 in ms, 5138 in seconds
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,16}");

  private Times() {}

  /** The time at {@code node}; null when missing, blank or a placeholder; refused if malformed. */
  static Instant at(Node node) throws DecodeException {
    String text = node.value();
    if (text == null) {
      return null;
    }
    Instant instant = parse(text);
    if (instant == null) {
      throw new DecodeException(
          node.path()
              + ": not a time: "
              + Text.quote(text)
              + " (expected ISO-8601 such as 2024-01-31T12:00:00Z, or epoch seconds)");
    }
    return inRange(instant, node.path(), text);
  }

  /** Like {@link #at(Node)} for a header value; {@code name} says which header. */
  static Instant header(String value, String name) throws DecodeException {
    if (value == null || value.isBlank()) {
      return null;
    }
    Instant instant = parse(value.trim());
    if (instant == null) {
      throw new DecodeException(
          "header " + name + ": not a time: " + Text.quote(value) + " (expected ISO-8601)");
    }
    return inRange(instant, "header " + name, value);
  }

  /** Null for a placeholder time; refused outside the years 0001 to 9999. */
  private static Instant inRange(Instant instant, String where, String text)
      throws DecodeException {
    if (instant.isBefore(FIRST) || instant.isAfter(LATEST)) {
      throw new DecodeException(
          where
              + ": "
              + Text.quote(text)
              + " is outside the years 0001 to 9999 that rollgate stores; send the push time");
    }
    return instant.isBefore(EARLIEST) ? null : instant;
  }

  private static Instant parse(String text) {
    try {
      if (DIGITS.matcher(text).matches()) {
        long n = Long.parseLong(text);
        Instant instant = n >= MILLIS_FROM ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
        return instant.isAfter(LATEST) ? null : instant;
      }
      if (text.length() > 64) {
        return null;
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      }
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }
}
