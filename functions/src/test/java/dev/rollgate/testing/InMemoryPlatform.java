package dev.rollgate.testing;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link ServicePlatform} that answers at once from memory, with behaviour programmable per image
 * tag or digest, and counters that tests assert on. Thread-safe.
 */
public final class InMemoryPlatform implements ServicePlatform {

  private final Map<String, Service> services = new HashMap<>(); // guarded by this
  private final List<String> restores = new ArrayList<>(); // guarded by this
  private final Set<String> neverReady = ConcurrentHashMap.newKeySet();
  private final Set<String> failsOnPlatform = ConcurrentHashMap.newKeySet();
  private final Set<String> revertsOnItsOwn = ConcurrentHashMap.newKeySet();
  private final Map<String, Throwing> throwing = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger rollOutCalls = new AtomicInteger();
  private volatile Duration rollOutLatency = Duration.ZERO;

  @Override
  public String name() {
    return "memory";
  }

  // --- programming the fake ------------------------------------------------------------------

  /** Revisions of this image tag or digest stay IN_PROGRESS for ever. */
  public InMemoryPlatform neverReady(String tagOrDigest) {
    neverReady.add(tagOrDigest);
    return this;
  }

  /** Revisions of this image tag or digest are FAILED as soon as they are observed. */
  public InMemoryPlatform failsOnPlatform(String tagOrDigest) {
    failsOnPlatform.add(tagOrDigest);
    return this;
  }

  /**
   * Revisions of this image tag or digest are rolled back by the platform itself when first
   * observed, as ECS's circuit breaker does: observe says REVERTED and the previous revision
   * serves.
   */
  public InMemoryPlatform revertsOnItsOwn(String tagOrDigest) {
    revertsOnItsOwn.add(tagOrDigest);
    return this;
  }

  /** The next {@code times} rollOuts of this image tag or digest throw a PlatformException. */
  public InMemoryPlatform rollOutThrows(String tagOrDigest, boolean retryable, int times) {
    throwing.put(tagOrDigest, new Throwing(retryable, new AtomicInteger(times)));
    return this;
  }

  /** Makes each rollOut take this long, so that overlapping rollouts have a window to overlap. */
  public InMemoryPlatform rollOutLatency(Duration latency) {
    rollOutLatency = Objects.requireNonNull(latency);
    return this;
  }

  // --- what happened ---------------------------------------------------------------------------

  /** How many revisions rollOut created for {@code service}. */
  public synchronized int revisionsCreated(String service) {
    Service s = services.get(service);
    return s == null ? 0 : s.revisions.size();
  }

  /** How many times rollOut was called, throwing and repeated calls included. */
  public int rollOutCalls() {
    return rollOutCalls.get();
  }

  /** The most rollOut calls that were ever in flight at once for one service. */
  public int maxConcurrentRollouts() {
    return maxConcurrent.get();
  }

  /** The images traffic was routed to, in order, for {@code service}. */
  public synchronized List<ImageRef> history(String service) {
    Service s = services.get(service);
    return s == null ? List.of() : List.copyOf(s.history);
  }

  /** Every restore asked of this platform, in order, as {@code service:revision}. */
  public synchronized List<String> restores() {
    return List.copyOf(restores);
  }

  /** The tag of the image serving {@code service} now, or null when nothing (or no tag) serves. */
  public synchronized String describeTag(String service) {
    Service s = services.get(service);
    return s == null || s.routed == null ? null : s.routed.image.tag();
  }

  // --- the port --------------------------------------------------------------------------------

  @Override
  public List<String> validate(TargetSpec target) {
    String service = target.get("service");
    return service == null || service.isBlank()
        ? List.of(target.path() + ".service: missing: name the service, e.g. 'service: shop'")
        : List.of();
  }

  @Override
  public synchronized ServiceState describe(TargetSpec target) throws PlatformException {
    Service s = services.get(service(target));
    if (s == null || s.routed == null) {
      return new ServiceState(null, null, null);
    }
    return new ServiceState(s.routed.id, s.routed.image, s.url);
  }

  @Override
  public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    rollOutCalls.incrementAndGet();
    String service = service(target);
    AtomicInteger running = inFlight.computeIfAbsent(service, k -> new AtomicInteger());
    maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      long end = System.nanoTime() + rollOutLatency.toNanos();
      for (long left = rollOutLatency.toNanos(); left > 0; left = end - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      Throwing t = matching(throwing, image);
      if (t != null && t.left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new PlatformException(
            "memory:" + service + ": rollOut of " + image.display() + " failed as programmed",
            t.retryable);
      }
      synchronized (this) {
        Service s = services.computeIfAbsent(service, Service::new);
        Rev done = s.byDeployment.get(deploymentId);
        if (done != null) {
          return new Revision(done.id, s.url);
        }
        Rev rev = new Rev(service + "-" + (s.revisions.size() + 1), image, s.routed);
        s.revisions.put(rev.id, rev);
        s.byDeployment.put(deploymentId, rev);
        s.route(rev);
        return new Revision(rev.id, s.url);
      }
    } finally {
      running.decrementAndGet();
    }
  }

  /** The shares {@link #split} gave {@code service}'s canaries, in order. */
  public synchronized List<Integer> splits(String service) {
    Service s = services.get(service);
    return s == null ? List.of() : List.copyOf(s.splits);
  }

  /** The percent of {@code service}'s traffic its canary revision receives now (0 without one). */
  public synchronized int canaryShare(String service) {
    Service s = services.get(service);
    return s == null || s.canary == null ? 0 : s.canaryShare;
  }

  /**
   * The image of revision {@code id} of {@code service}, or null when there is no such revision.
   */
  public synchronized ImageRef image(String service, String id) {
    Service s = services.get(service);
    Rev rev = s == null ? null : s.revisions.get(id);
    return rev == null ? null : rev.image;
  }

  @Override
  public boolean splitsTraffic() {
    return true;
  }

  /** Creates the revision without routing to it; its own URL is the service URL + /revisions/id. */
  @Override
  public synchronized Revision stage(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    Service s = services.computeIfAbsent(service(target), Service::new);
    Rev done = s.byDeployment.get(deploymentId);
    if (done == null) {
      done = new Rev(s.name + "-" + (s.revisions.size() + 1), image, s.routed);
      s.revisions.put(done.id, done);
      s.byDeployment.put(deploymentId, done);
    }
    s.canary = done;
    return new Revision(done.id, s.url + "/revisions/" + done.id);
  }

  @Override
  public synchronized void split(TargetSpec target, String revision, String stable, int percent)
      throws PlatformException {
    Service s = existing(target);
    Rev rev = s.revision(revision);
    Rev before = s.revision(stable);
    s.splits.add(percent);
    if (percent >= 100) {
      s.route(rev);
      s.canary = null;
    } else {
      s.route(before);
      s.canary = percent == 0 ? null : rev;
      s.canaryShare = percent;
    }
  }

  @Override
  public synchronized RolloutStatus observe(TargetSpec target, String revision)
      throws PlatformException {
    Service s = existing(target);
    Rev rev = s.revision(revision);
    if (s.canary == rev) {
      if (matches(failsOnPlatform, rev.image)) {
        return RolloutStatus.failed(revision + " failed on the platform, as programmed");
      }
      return matches(neverReady, rev.image)
          ? RolloutStatus.inProgress(revision + " is still starting, as programmed")
          : RolloutStatus.ready(revision + " runs and receives " + s.canaryShare + " %");
    }
    if (s.routed != rev) {
      return RolloutStatus.reverted((s.routed == null ? "nothing" : s.routed.id) + " serves now");
    }
    if (matches(failsOnPlatform, rev.image)) {
      return RolloutStatus.failed(revision + " failed on the platform, as programmed");
    }
    if (matches(neverReady, rev.image)) {
      return RolloutStatus.inProgress(revision + " is still starting, as programmed");
    }
    if (matches(revertsOnItsOwn, rev.image)) {
      s.route(rev.previous);
      return RolloutStatus.reverted(
          "the platform rolled " + revision + " back by itself, as programmed");
    }
    return RolloutStatus.ready(revision + " serves");
  }

  @Override
  public synchronized void restore(TargetSpec target, String revision) throws PlatformException {
    Service s = existing(target);
    s.route(s.revision(revision));
    s.canary = null;
    restores.add(service(target) + ":" + revision);
  }

  @Override
  public synchronized void retire(TargetSpec target, String serving) throws PlatformException {
    Service s = existing(target);
    s.revision(serving);
  }

  // --- internals -------------------------------------------------------------------------------

  private String service(TargetSpec target) throws PlatformException {
    List<String> problems = validate(target);
    if (!problems.isEmpty()) {
      throw new PlatformException(String.join("; ", problems), false);
    }
    return target.get("service");
  }

  private Service existing(TargetSpec target) throws PlatformException {
    Service s = services.get(service(target));
    if (s == null) {
      throw new PlatformException(
          "memory:" + target.get("service") + ": no revision was ever rolled out", false);
    }
    return s;
  }

  private static boolean matches(Set<String> keys, ImageRef image) {
    return (image.tag() != null && keys.contains(image.tag()))
        || (image.digest() != null && keys.contains(image.digest()));
  }

  private static <T> T matching(Map<String, T> byKey, ImageRef image) {
    T byTag = image.tag() == null ? null : byKey.get(image.tag());
    return byTag != null || image.digest() == null ? byTag : byKey.get(image.digest());
  }

  private record Throwing(boolean retryable, AtomicInteger left) {}

  private static final class Rev {
    final String id;
    final ImageRef image;
    final Rev previous;

    Rev(String id, ImageRef image, Rev previous) {
      this.id = id;
      this.image = image;
      this.previous = previous;
    }
  }

  private static final class Service {
    final String url;
    final Map<String, Rev> revisions = new HashMap<>();
    final Map<String, Rev> byDeployment = new HashMap<>();
    final List<ImageRef> history = new ArrayList<>();
    final List<Integer> splits = new ArrayList<>();
    final String name;
    Rev routed;
    Rev canary;
    int canaryShare;

    Service(String name) {
      this.name = name;
      this.url = "http://" + name + ".memory.test";
    }

    Rev revision(String id) throws PlatformException {
      Rev rev = revisions.get(id);
      if (rev == null) {
        throw new PlatformException(
            "no revision '" + id + "'; known: " + revisions.keySet().stream().sorted().toList(),
            false);
      }
      return rev;
    }

    void route(Rev rev) {
      if (rev != routed) {
        routed = rev;
        if (rev != null) {
          history.add(rev.image);
        }
      }
    }
  }
}
