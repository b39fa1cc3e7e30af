import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The walkthrough's way to put a file into Azurite (no Azure CLI needed): {@code java PutBlob.java
 * BLOB_ENDPOINT ACCOUNT KEY CONTAINER NAME FILE} creates the container (if missing) and uploads
 * the file as a block blob, through Blob Storage's REST API (Create Container, Put Blob) signed
 * with Shared Key as Azure's "Authorize with Shared Key" documents it. A single-file program: the
 * JDK runs it from source. For the walkthrough's Azurite only: the key is Azurite's well-known
 * development key.
 */
public final class PutBlob {
  private static final String VERSION = "2021-08-06";

  public static void main(String[] a) throws Exception {
    if (a.length != 6) {
      System.err.println("usage: java PutBlob.java BLOB_ENDPOINT ACCOUNT KEY CONTAINER NAME FILE");
      System.exit(64);
    }
    String endpoint = a[0].replaceAll("/+$", "");
    HttpClient http = HttpClient.newHttpClient();
    int created = send(http, "PUT", endpoint, a[1], a[2], "/" + a[3], "restype=container", new byte[0]);
    if (created != 201 && created != 409) {
      fail("creating container " + a[3] + " answered " + created);
    }
    String blob = "/" + a[3] + "/" + a[4];
    int put = send(http, "PUT", endpoint, a[1], a[2], blob, null, Files.readAllBytes(Path.of(a[5])));
    if (put != 201) {
      fail("putting " + blob + " answered " + put);
    }
    System.out.println("put " + a[5] + " at " + endpoint + blob);
  }

  private static int send(HttpClient http, String verb, String endpoint, String account,
      String key, String path, String query, byte[] body) throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    boolean isBlob = query == null;
    String msHeaders = (isBlob ? "x-ms-blob-type:BlockBlob\n" : "")
        + "x-ms-date:" + date + "\n" + "x-ms-version:" + VERSION + "\n";
    // Path-style URL (Azurite): the resource is /ACCOUNT followed by the URL's path.
    String urlPath = URI.create(endpoint).getRawPath() + path;
    String resource = "/" + account + urlPath + (query == null ? "" : "\n" + query.replace('=', ':'));
    String toSign = verb + "\n\n\n" + (body.length == 0 ? "" : body.length) + "\n\n\n\n\n\n\n\n\n"
        + msHeaders + resource;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
    String signature = Base64.getEncoder().encodeToString(
        mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    HttpRequest.Builder r = HttpRequest.newBuilder(
            URI.create(endpoint + path + (query == null ? "" : "?" + query)))
        .method(verb, HttpRequest.BodyPublishers.ofByteArray(body))
        .header("x-ms-date", date)
        .header("x-ms-version", VERSION)
        .header("Authorization", "SharedKey " + account + ":" + signature);
    if (isBlob) {
      r.header("x-ms-blob-type", "BlockBlob");
    }
    HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400 && response.statusCode() != 409) {
      System.err.println(response.body());
    }
    return response.statusCode();
  }

  private static void fail(String message) {
    System.err.println("PutBlob: " + message);
    System.exit(1);
  }
}
