package dev.rollgate.gcp.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The Cloud Storage fake's buckets and objects, and its answers in the JSON API's shapes: the
 * bucket and object resources (cloud.google.com/storage/docs/json_api/v1/buckets and .../objects:
 * int64 fields as strings, {@code md5Hash} and {@code crc32c} as base64 of the big-endian bytes),
 * the list response ({@code kind: storage#objects}, {@code items}, {@code prefixes}, {@code
 * nextPageToken}), errors as {@code {"error": {"code", "message", "errors": [{"domain", "reason",
 * "message"}]}}} (.../json_api/v1/status-codes), and the resumable protocol's 308 with a {@code
 * Range} header (.../performing-resumable-uploads). An object replaces an older one with a new
 * generation; a resumable upload's object exists only once its last byte arrived.
 */
final class StorageFakeBuckets {

  record Answer(int status, Map<String, String> headers, byte[] body) {}

  private record Blob(ObjectNode meta, byte[] data) {}

  private record Session(String bucket, ObjectNode meta, ByteArrayOutputStream bytes) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHUNK = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern QUERY = Pattern.compile("bytes \\*/(\\d+|\\*)");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final Map<String, NavigableMap<String, Blob>> buckets = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
  private final AtomicLong interruptAfter = new AtomicLong(-1);

  /**
   * The next resumable PUT keeps only its first {@code bytes} bytes and answers 503, as an upload
   * cut off mid-way: the client must ask how much arrived (a {@code bytes *}/N query) and resume.
   */
  void interruptNextChunk(long bytes) {
    interruptAfter.set(bytes);
  }

  Answer createBucket(JsonNode body) {
    String name = body.path("name").asText("");
    if (buckets.putIfAbsent(name, new ConcurrentSkipListMap<>()) != null) {
      return error(
          409,
          "conflict",
          "Your previous request to create the named bucket succeeded and you"
              + " already own it.");
    }
    return getBucket(name);
  }

  Answer getBucket(String name) {
    if (!buckets.containsKey(name)) {
      return noBucket();
    }
    ObjectNode b = JSON.createObjectNode();
    b.put("kind", "storage#bucket").put("id", name).put("name", name);
    b.put("location", "US").put("storageClass", "STANDARD").put("metageneration", "1");
    return json(200, b);
  }

  Answer insert(String bucket, String name, ObjectNode meta, byte[] data) {
    ObjectNode m = meta == null ? JSON.createObjectNode() : meta;
    String object = name != null ? name : m.path("name").asText(null);
    if (object == null || object.isEmpty()) {
      return error(400, "required", "Required");
    }
    NavigableMap<String, Blob> objects = buckets.get(bucket);
    if (objects == null) {
      return noBucket();
    }
    String crc = crc32c(data);
    if (m.hasNonNull("crc32c") && !m.get("crc32c").asText().equals(crc)) {
      return error(
          400,
          "invalid",
          "Provided CRC32C \""
              + m.get("crc32c").asText()
              + "\" doesn't match calculated CRC32C \""
              + crc
              + "\".");
    }
    long generation = generations.incrementAndGet();
    String now = Instant.now().toString();
    ObjectNode o = JSON.createObjectNode();
    String id = bucket + "/" + object;
    o.put("kind", "storage#object").put("id", id + "/" + generation);
    o.put("selfLink", "/storage/v1/b/" + bucket + "/o/" + encode(object));
    o.put("mediaLink", "/download/storage/v1/b/" + bucket + "/o/" + encode(object) + "?alt=media");
    o.put("name", object).put("bucket", bucket);
    o.put("generation", Long.toString(generation)).put("metageneration", "1");
    o.put("contentType", m.path("contentType").asText("application/octet-stream"));
    o.put("storageClass", "STANDARD").put("size", Integer.toString(data.length));
    o.put("md5Hash", md5(data)).put("crc32c", crc).put("etag", "C" + generation);
    o.put("timeCreated", now).put("updated", now).put("timeStorageClassUpdated", now);
    if (m.has("metadata")) {
      o.set("metadata", m.get("metadata"));
    }
    objects.put(object, new Blob(o, data));
    return json(200, o);
  }

  Answer startResumable(String bucket, String name, ObjectNode meta, String base) {
    if (!buckets.containsKey(bucket)) {
      return noBucket();
    }
    if (name != null) {
      meta.put("name", name);
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    sessions.put(id, new Session(bucket, meta, new ByteArrayOutputStream()));
    String location = base + "?uploadType=resumable&upload_id=" + id;
    return new Answer(200, Map.of("Location", location), null);
  }

  /** One PUT of a resumable upload: a chunk, the last chunk, or a status query. */
  Answer putChunk(String uploadId, String contentRange, byte[] body) {
    Session s = sessions.get(uploadId);
    if (s == null) {
      return error(404, "notFound", "No such upload session: " + uploadId);
    }
    synchronized (s) {
      long have = s.bytes().size();
      String total;
      Matcher chunk = contentRange == null ? null : CHUNK.matcher(contentRange);
      Matcher query = contentRange == null ? null : QUERY.matcher(contentRange);
      if (chunk != null && chunk.matches()) {
        long first = Long.parseLong(chunk.group(1));
        long last = Long.parseLong(chunk.group(2));
        if (first > have || last - first + 1 != body.length) {
          return error(400, "invalid", "Invalid request. Content-Range: " + contentRange);
        }
        // A resent chunk overlaps what arrived: only the new bytes count.
        int skip = (int) (have - first);
        long cut = interruptAfter.getAndSet(-1);
        if (cut >= 0 && cut < body.length - skip) {
          s.bytes().write(body, skip, (int) cut);
          return error(503, "backendError", "Backend Error");
        }
        s.bytes().write(body, skip, body.length - skip);
        total = chunk.group(3);
      } else if (query != null && query.matches()) {
        total = query.group(1);
      } else {
        return error(400, "invalid", "Invalid request. Content-Range: " + contentRange);
      }
      long now = s.bytes().size();
      if (!total.equals("*") && Long.parseLong(total) == now) {
        sessions.remove(uploadId);
        return insert(s.bucket(), null, s.meta(), s.bytes().toByteArray());
      }
      return new Answer(308, now == 0 ? Map.of() : Map.of("Range", "bytes=0-" + (now - 1)), null);
    }
  }

  Answer metadata(String bucket, String object, Long generation) {
    Blob b = find(bucket, object, generation);
    return b == null ? missing(bucket, object) : json(200, b.meta());
  }

  Answer media(String bucket, String object, Long generation, String range) {
    Blob b = find(bucket, object, generation);
    if (b == null) {
      return missing(bucket, object);
    }
    Map<String, String> headers = new java.util.HashMap<>();
    headers.put("Content-Type", b.meta().get("contentType").asText());
    headers.put("x-goog-generation", b.meta().get("generation").asText());
    headers.put("x-goog-stored-content-length", Integer.toString(b.data().length));
    headers.put(
        "x-goog-hash",
        "crc32c=" + b.meta().get("crc32c").asText() + ",md5=" + b.meta().get("md5Hash").asText());
    Matcher r = range == null ? null : RANGE.matcher(range);
    if (r == null || !r.matches() || b.data().length == 0) {
      return new Answer(200, headers, b.data());
    }
    long first = Long.parseLong(r.group(1));
    long last = r.group(2).isEmpty() ? b.data().length - 1 : Long.parseLong(r.group(2));
    if (first >= b.data().length) {
      return error(416, "requestedRangeNotSatisfiable", "Request range not satisfiable");
    }
    last = Math.min(last, b.data().length - 1);
    headers.put("Content-Range", "bytes " + first + "-" + last + "/" + b.data().length);
    return new Answer(206, headers, Arrays.copyOfRange(b.data(), (int) first, (int) last + 1));
  }

  Answer list(String bucket, String prefix, String delimiter, String token, int max) {
    NavigableMap<String, Blob> objects = buckets.get(bucket);
    if (objects == null) {
      return noBucket();
    }
    ObjectNode page = JSON.createObjectNode().put("kind", "storage#objects");
    ArrayNode items = JSON.createArrayNode();
    TreeSet<String> prefixes = new TreeSet<>();
    String from = token == null ? prefix : new String(Base64.getUrlDecoder().decode(token));
    int count = 0;
    for (Map.Entry<String, Blob> e : objects.tailMap(from, true).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(prefix)) {
        break;
      }
      if (count == max) {
        page.put(
            "nextPageToken",
            Base64.getUrlEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)));
        break;
      }
      int cut = delimiter == null ? -1 : name.indexOf(delimiter, prefix.length());
      if (cut >= 0) {
        prefixes.add(name.substring(0, cut + delimiter.length()));
      } else {
        items.add(e.getValue().meta());
      }
      count++;
    }
    if (!items.isEmpty()) {
      page.set("items", items);
    }
    if (!prefixes.isEmpty()) {
      ArrayNode p = page.putArray("prefixes");
      prefixes.forEach(p::add);
    }
    return json(200, page);
  }

  Answer delete(String bucket, String object) {
    NavigableMap<String, Blob> objects = buckets.get(bucket);
    if (objects == null) {
      return noBucket();
    }
    return objects.remove(object) == null
        ? missing(bucket, object)
        : new Answer(204, Map.of(), null);
  }

  private Blob find(String bucket, String object, Long generation) {
    NavigableMap<String, Blob> objects = buckets.get(bucket);
    Blob b = objects == null ? null : objects.get(object);
    if (b != null && generation != null && b.meta().get("generation").asLong() != generation) {
      return null; // an older generation: not kept (the fake keeps no versions)
    }
    return b;
  }

  private Answer missing(String bucket, String object) {
    return buckets.containsKey(bucket)
        ? error(404, "notFound", "No such object: " + bucket + "/" + object)
        : noBucket();
  }

  private static Answer noBucket() {
    return error(404, "notFound", "The specified bucket does not exist.");
  }

  static Answer error(int code, String reason, String message) {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode inner = e.putObject("error");
    inner.put("code", code).put("message", message);
    inner
        .putArray("errors")
        .addObject()
        .put("message", message)
        .put("domain", "global")
        .put("reason", reason);
    return json(code, e);
  }

  private static Answer json(int status, JsonNode body) {
    try {
      return new Answer(status, Map.of(), JSON.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
