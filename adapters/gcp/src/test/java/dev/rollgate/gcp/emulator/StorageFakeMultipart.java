package dev.rollgate.gcp.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a multipart upload ({@code uploadType=multipart}): {@code multipart/related} with the
 * object's JSON metadata first and its bytes second (cloud.google.com/storage/docs/
 * uploading-objects, "multipart upload"; RFC 2387).
 */
final class StorageFakeMultipart {

  record Parts(byte[] metadata, byte[] media) {}

  private StorageFakeMultipart() {}

  static Parts parse(String contentType, byte[] body) {
    String boundary = null;
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.startsWith("boundary=")) {
        boundary = p.substring("boundary=".length()).replace("\"", "");
      }
    }
    if (boundary == null) {
      throw new IllegalArgumentException("multipart upload without a boundary: " + contentType);
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<byte[]> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        break;
      }
      parts.add(content(Arrays.copyOfRange(body, start, next)));
      at = next;
    }
    if (parts.size() != 2) {
      throw new IllegalArgumentException("multipart upload with " + parts.size() + " parts, not 2");
    }
    return new Parts(parts.get(0), parts.get(1));
  }

  /** A part without its headers and the CRLFs around it. */
  private static byte[] content(byte[] part) {
    byte[] crlf2 = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    int headersEnd = indexOf(part, crlf2, 0);
    int from = headersEnd < 0 ? 0 : headersEnd + crlf2.length;
    int to = part.length;
    if (to - 2 >= from && part[to - 2] == '\r' && part[to - 1] == '\n') {
      to -= 2;
    }
    return Arrays.copyOfRange(part, from, to);
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
