package dev.rollgate.gcp.emulator;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.DestroySecretVersionRequest;
import com.google.cloud.secretmanager.v1.DisableSecretVersionRequest;
import com.google.cloud.secretmanager.v1.EnableSecretVersionRequest;
import com.google.cloud.secretmanager.v1.GetSecretRequest;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsResponse;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceGrpc;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.cloud.secretmanager.v1.SecretVersion.State;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A fake of Secret Manager v1 ({@code google.cloud.secretmanager.v1.SecretManagerService}) for
 * Google's own client, in memory. Shapes and rules follow Google's published protos
 * (proto-google-cloud-secretmanager-v1 2.88.0: {@code google/cloud/secretmanager/v1/service.proto}
 * and {@code resources.proto}):
 *
 * <ul>
 *   <li>CreateSecret under {@code projects/P} with a {@code secret_id}; ALREADY_EXISTS when taken.
 *   <li>AddSecretVersion numbers versions 1, 2, ... and makes them ENABLED.
 *   <li>AccessSecretVersion: {@code versions/latest} is "an alias to the most recently created
 *       SecretVersion" (service.proto), whatever its state; a version not ENABLED answers
 *       FAILED_PRECONDITION "Secret Version [NAME] is in DISABLED state." (the wording recorded in
 *       external-secrets/external-secrets#4042 and, for DESTROYED, in
 *       google-github-actions/get-secretmanager-secrets#268); the payload carries {@code
 *       data_crc32c}.
 *   <li>DisableSecretVersion / EnableSecretVersion / DestroySecretVersion change the state;
 *       DESTROYED is final and drops the payload (resources.proto, SecretVersion.State).
 *   <li>NOT_FOUND for an unknown secret or version; PERMISSION_DENIED for a secret labelled {@link
 *       #ACCESS_LABEL}{@code =denied}, the fake's only stand-in for IAM.
 * </ul>
 */
final class SecretManagerFake extends SecretManagerServiceGrpc.SecretManagerServiceImplBase {

  private static final Pattern PROJECT = Pattern.compile("projects/[^/]+");
  private static final Pattern SECRET = Pattern.compile("(projects/[^/]+/secrets/[^/]+)");
  private static final Pattern VERSION =
      Pattern.compile("(projects/[^/]+/secrets/[^/]+)/versions/([^/]+)");
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");

  /**
   * The fake's one stand-in for IAM: a secret labelled {@code rollgate-fake-access=denied} answers
   * PERMISSION_DENIED to AccessSecretVersion, as the API does without {@code
   * secretmanager.versions.access} (the message as the API words it for a missing permission).
   */
  static final String ACCESS_LABEL = "rollgate-fake-access";

  static final String DENIED = "denied";

  private record Stored(Secret secret, List<SecretVersion> versions, List<SecretPayload> data) {}

  private final Map<String, Stored> secrets = new ConcurrentHashMap<>();

  @Override
  public void createSecret(CreateSecretRequest request, StreamObserver<Secret> out) {
    if (!PROJECT.matcher(request.getParent()).matches()
        || !SECRET_ID.matcher(request.getSecretId()).matches()) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("parent must be projects/*, secret_id [A-Za-z0-9_-]{1,255}")
              .asRuntimeException());
      return;
    }
    String name = request.getParent() + "/secrets/" + request.getSecretId();
    Secret secret = request.getSecret().toBuilder().setName(name).setCreateTime(now()).build();
    Stored fresh = new Stored(secret, new ArrayList<>(), new ArrayList<>());
    if (secrets.putIfAbsent(name, fresh) != null) {
      out.onError(
          Status.ALREADY_EXISTS
              .withDescription("Secret [" + name + "] already exists.")
              .asRuntimeException());
      return;
    }
    reply(out, secret);
  }

  @Override
  public void getSecret(GetSecretRequest request, StreamObserver<Secret> out) {
    Stored s = secrets.get(request.getName());
    if (s == null) {
      out.onError(notFound("Secret [" + request.getName() + "] not found."));
      return;
    }
    reply(out, s.secret());
  }

  @Override
  public void addSecretVersion(AddSecretVersionRequest request, StreamObserver<SecretVersion> out) {
    Stored s = secrets.get(request.getParent());
    if (s == null || !SECRET.matcher(request.getParent()).matches()) {
      out.onError(notFound("Secret [" + request.getParent() + "] not found."));
      return;
    }
    SecretVersion added;
    synchronized (s) {
      added =
          SecretVersion.newBuilder()
              .setName(request.getParent() + "/versions/" + (s.versions().size() + 1))
              .setState(State.ENABLED)
              .setCreateTime(now())
              .build();
      s.versions().add(added);
      s.data().add(request.getPayload());
    }
    reply(out, added);
  }

  @Override
  public void getSecretVersion(GetSecretVersionRequest request, StreamObserver<SecretVersion> out) {
    int i = find(request.getName(), out);
    if (i >= 0) {
      reply(out, stored(request.getName()).versions().get(i));
    }
  }

  @Override
  public void listSecretVersions(
      ListSecretVersionsRequest request, StreamObserver<ListSecretVersionsResponse> out) {
    Stored s = secrets.get(request.getParent());
    if (s == null) {
      out.onError(notFound("Secret [" + request.getParent() + "] not found."));
      return;
    }
    synchronized (s) {
      // Newest first, as the API lists them (service.proto: "sorted in reverse by create_time").
      List<SecretVersion> newestFirst = new ArrayList<>(s.versions());
      java.util.Collections.reverse(newestFirst);
      reply(
          out,
          ListSecretVersionsResponse.newBuilder()
              .addAllVersions(newestFirst)
              .setTotalSize(newestFirst.size())
              .build());
    }
  }

  @Override
  public void accessSecretVersion(
      AccessSecretVersionRequest request, StreamObserver<AccessSecretVersionResponse> out) {
    int i = find(request.getName(), out);
    if (i < 0) {
      return;
    }
    Stored s = stored(request.getName());
    SecretVersion version;
    SecretPayload payload;
    synchronized (s) {
      version = s.versions().get(i);
      payload = s.data().get(i);
    }
    if (DENIED.equals(s.secret().getLabelsMap().get(ACCESS_LABEL))) {
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription(
                  "Permission 'secretmanager.versions.access' denied for resource '"
                      + request.getName()
                      + "' (or it may not exist).")
              .asRuntimeException());
      return;
    }
    if (version.getState() != State.ENABLED) {
      out.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  "Secret Version ["
                      + version.getName()
                      + "] is in "
                      + version.getState()
                      + " state.")
              .asRuntimeException());
      return;
    }
    CRC32C crc = new CRC32C();
    crc.update(payload.getData().asReadOnlyByteBuffer());
    reply(
        out,
        AccessSecretVersionResponse.newBuilder()
            .setName(version.getName())
            .setPayload(payload.toBuilder().setDataCrc32C(crc.getValue()))
            .build());
  }

  @Override
  public void disableSecretVersion(
      DisableSecretVersionRequest request, StreamObserver<SecretVersion> out) {
    changeState(request.getName(), State.DISABLED, out);
  }

  @Override
  public void enableSecretVersion(
      EnableSecretVersionRequest request, StreamObserver<SecretVersion> out) {
    changeState(request.getName(), State.ENABLED, out);
  }

  @Override
  public void destroySecretVersion(
      DestroySecretVersionRequest request, StreamObserver<SecretVersion> out) {
    changeState(request.getName(), State.DESTROYED, out);
  }

  private void changeState(String name, State state, StreamObserver<SecretVersion> out) {
    int i = find(name, out);
    if (i < 0) {
      return;
    }
    Stored s = stored(name);
    SecretVersion changed;
    synchronized (s) {
      SecretVersion v = s.versions().get(i);
      if (v.getState() == State.DESTROYED) {
        out.onError(
            Status.FAILED_PRECONDITION
                .withDescription("Secret Version [" + v.getName() + "] is in DESTROYED state.")
                .asRuntimeException());
        return;
      }
      SecretVersion.Builder b = v.toBuilder().setState(state);
      if (state == State.DESTROYED) {
        b.setDestroyTime(now());
        s.data().set(i, SecretPayload.getDefaultInstance());
      }
      changed = b.build();
      s.versions().set(i, changed);
    }
    reply(out, changed);
  }

  /** The index of the version {@code name} names ({@code latest}: the newest), else -1. */
  private int find(String name, StreamObserver<?> out) {
    Matcher m = VERSION.matcher(name);
    Stored s = m.matches() ? secrets.get(m.group(1)) : null;
    if (s == null) {
      out.onError(
          notFound(
              "Secret [" + (m.matches() ? m.group(1) : name) + "] not found or has no versions."));
      return -1;
    }
    synchronized (s) {
      int count = s.versions().size();
      int i;
      if (m.group(2).equals("latest")) {
        i = count - 1;
      } else {
        try {
          i = Integer.parseInt(m.group(2)) - 1;
        } catch (NumberFormatException e) {
          i = -1;
        }
      }
      if (i < 0 || i >= count) {
        out.onError(
            notFound(
                count == 0
                    ? "Secret [" + m.group(1) + "] not found or has no versions."
                    : "Secret Version [" + name + "] not found."));
        return -1;
      }
      return i;
    }
  }

  private Stored stored(String versionName) {
    Matcher m = VERSION.matcher(versionName);
    m.matches();
    return secrets.get(m.group(1));
  }

  private static RuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }

  private static Timestamp now() {
    Instant t = Instant.now();
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
