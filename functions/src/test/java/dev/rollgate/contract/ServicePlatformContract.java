package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.Revision;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.core.port.ServicePlatform.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServicePlatform} must do, run by each implementation's test against its real or
 * emulated platform. Each test uses a service name of its own.
 */
public abstract class ServicePlatformContract {

  private static final AtomicInteger SERVICES = new AtomicInteger();
  private static final Duration POLL = Duration.ofMillis(50);

  /** The platform under test. */
  protected abstract ServicePlatform platform();

  /** A complete target for {@code service}, a service that has served nothing yet. */
  protected abstract TargetSpec target(String service);

  /** A distinct image that starts and serves; {@code n} counts from 1. */
  protected abstract ImageRef healthyImage(int n);

  /**
   * The target setting that names the service ({@code service}; Container Apps: {@code app}), which
   * a target without settings must say is missing.
   */
  protected String serviceSetting() {
    return "service";
  }

  /** How long a healthy revision may take to become READY on this platform. */
  protected Duration readyTimeout() {
    return Duration.ofSeconds(30);
  }

  @Test
  void describe_shouldShowNothingServing_whenServiceIsNew() throws Exception {
    // GIVEN a service nothing was rolled out to
    TargetSpec target = target(freshService());

    // WHEN
    ServiceState state = platform().describe(target);

    // THEN
    assertNotNull(state, "describe returns a state, never null");
    assertNull(state.revision(), "revision of a new service");
    assertNull(state.image(), "image of a new service");
  }

  @Test
  void rollOut_shouldServeTheNewRevision_whenAnImageIsRolledOut() throws Exception {
    // GIVEN
    TargetSpec target = target(freshService());
    ImageRef image = healthyImage(1);

    // WHEN
    Revision revision = platform().rollOut(target, "d-1", image);

    // THEN
    assertNotNull(revision.id());
    assertFalse(revision.id().isBlank(), "revision id");
    ServiceState state = platform().describe(target);
    assertEquals(revision.id(), state.revision());
    assertEquals(image.pinned(), state.image().pinned());
    assertNotNull(state.url(), "a serving service has a URL");
  }

  @Test
  void rollOut_shouldReturnTheSameRevision_whenCalledTwiceForOneDeployment() throws Exception {
    // GIVEN a deployment rolled out once
    TargetSpec target = target(freshService());
    Revision first = platform().rollOut(target, "d-1", healthyImage(1));
    ServiceState before = platform().describe(target);

    // WHEN the same deployment rolls out again (a retried invocation)
    Revision again = platform().rollOut(target, "d-1", healthyImage(1));

    // THEN it gets the same revision, and nothing else changed
    assertEquals(first, again);
    assertEquals(before, platform().describe(target));
    // ... while another deployment gets a revision of its own
    Revision other = platform().rollOut(target, "d-2", healthyImage(2));
    assertNotEquals(first.id(), other.id());
    assertEquals(other.id(), platform().describe(target).revision());
  }

  @Test
  void observe_shouldReachReady_whenARevisionStarts() throws Exception {
    // GIVEN
    TargetSpec target = target(freshService());
    Revision revision = platform().rollOut(target, "d-1", healthyImage(1));

    // WHEN
    RolloutStatus status = awaitState(target, revision.id(), State.READY);

    // THEN
    assertEquals(State.READY, status.state());
    assertEquals(revision.id(), platform().describe(target).revision());
  }

  @Test
  void restore_shouldServeThePreviousRevisionAgain_whenRestored() throws Exception {
    // GIVEN two revisions, the second serving
    TargetSpec target = target(freshService());
    Revision first = platform().rollOut(target, "d-1", healthyImage(1));
    awaitState(target, first.id(), State.READY);
    Revision second = platform().rollOut(target, "d-2", healthyImage(2));
    awaitState(target, second.id(), State.READY);

    // WHEN the first is restored, twice (restore is idempotent)
    platform().restore(target, first.id());
    platform().restore(target, first.id());

    // THEN the first serves again and the second is reported as replaced
    ServiceState state = platform().describe(target);
    assertEquals(first.id(), state.revision());
    assertEquals(healthyImage(1).pinned(), state.image().pinned());
    assertEquals(State.REVERTED, platform().observe(target, second.id()).state());
    awaitState(target, first.id(), State.READY);
  }

  @Test
  void retire_shouldKeepTheServingRevisionWorking_whenOthersAreReleased() throws Exception {
    // GIVEN two revisions, the second serving
    TargetSpec target = target(freshService());
    Revision first = platform().rollOut(target, "d-1", healthyImage(1));
    awaitState(target, first.id(), State.READY);
    Revision second = platform().rollOut(target, "d-2", healthyImage(2));
    awaitState(target, second.id(), State.READY);

    // WHEN the others are released, twice (retire is idempotent)
    platform().retire(target, second.id());
    platform().retire(target, second.id());

    // THEN the second still serves
    assertEquals(second.id(), platform().describe(target).revision());
    assertEquals(State.READY, awaitState(target, second.id(), State.READY).state());
  }

  @Test
  void validate_shouldNameManifestPaths_whenRequiredSettingsAreMissing() {
    // GIVEN a target of this platform without any settings
    TargetSpec complete = target(freshService());
    TargetSpec bare = new TargetSpec(complete.platform(), Map.of(), complete.path());

    // WHEN
    List<String> problems = platform().validate(bare);

    // THEN each problem names its place in the manifest
    assertFalse(problems.isEmpty(), "a target without settings has problems");
    for (String problem : problems) {
      assertTrue(
          problem.startsWith(complete.path() + "."),
          "problem names its path under " + complete.path() + ": " + problem);
    }
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(complete.path() + "." + serviceSetting())),
        "the missing service is named: " + problems);
  }

  @Test
  void validate_shouldFindNoProblems_whenTheTargetIsComplete() {
    // GIVEN
    TargetSpec complete = target(freshService());

    // WHEN
    List<String> problems = platform().validate(complete);

    // THEN
    assertEquals(List.of(), problems);
  }

  /** A service name no other test uses: lower-case letters, digits and '-'. */
  protected final String freshService() {
    return "ct-"
        + SERVICES.incrementAndGet()
        + "-"
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
  }

  /**
   * Observes {@code revision} every 50 ms until it is in {@code wanted}; fails at once on another
   * final answer, and after {@link #readyTimeout()} otherwise.
   */
  protected final RolloutStatus awaitState(TargetSpec target, String revision, State wanted)
      throws Exception {
    Instant deadline = Instant.now().plus(readyTimeout());
    RolloutStatus last;
    while (true) {
      last = platform().observe(target, revision);
      if (last.state() == wanted) {
        return last;
      }
      if (last.state() != State.IN_PROGRESS) {
        fail("observe(" + revision + ") says " + last + " while waiting for " + wanted);
      }
      if (Instant.now().isAfter(deadline)) {
        fail("observe(" + revision + ") not " + wanted + " within " + readyTimeout() + ": " + last);
      }
      Clock.system().pause(POLL);
    }
  }
}
