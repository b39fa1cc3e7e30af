package dev.rollgate.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.contract.ServicePlatformContract;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.Revision;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.core.port.ServicePlatform.ServiceState;
import dev.rollgate.local.platform.ServiceRecord.RevisionRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local process platform against real processes of the demo's sample service. */
class ProcessPlatformIT extends ServicePlatformContract {

  // Small, quick-starting JVMs: the machine runs several revisions at once.
  private static final String COMMAND =
      "{java} -Xmx48m -Xss512k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
          + " demo/sample-service/SampleService.java"
          + " --port {port} --image {image} --release-dir demo/releases/{tag}";
  private static final Path MODULE_DIR = Path.of("").toAbsolutePath();

  @TempDir Path stateDir;
  private ProcessPlatform platform;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void setUp() {
    platform = new ProcessPlatform(stateDir, MODULE_DIR, Clock.system());
  }

  @AfterEach
  void tearDown() throws Exception {
    platform.stopAll();
  }

  @Override
  protected ServicePlatform platform() {
    return platform;
  }

  @Override
  protected TargetSpec target(String service) {
    return new TargetSpec(
        "local",
        Map.of("service", service, "command", COMMAND),
        "apps[0].environments.local.target");
  }

  @Override
  protected ImageRef healthyImage(int n) {
    return image(n % 2 == 1 ? "v1" : "v2", n);
  }

  @Override
  protected Duration readyTimeout() {
    return Duration.ofSeconds(60);
  }

  @Test
  void observe_shouldReportExitCodeAndLastLogLine_whenTheProcessExitsAtOnce() throws Exception {
    // GIVEN a release directory that does not exist, so that the service exits with code 2
    TargetSpec target = target(freshService());

    // WHEN
    Revision revision = platform.rollOut(target, "d-1", image("missing", 1));

    // THEN
    RolloutStatus status = awaitNot(target, revision.id(), State.IN_PROGRESS);
    assertEquals(State.FAILED, status.state(), status.detail());
    assertTrue(status.detail().contains("exited with code 2"), status.detail());
    assertTrue(status.detail().contains("cannot read"), status.detail());
    HttpResponse<String> response = get(revision.url() + "/health");
    assertEquals(502, response.statusCode());
    assertTrue(response.body().startsWith("{\"error\":"), response.body());
  }

  @Test
  void observe_shouldBeReady_whenTheReleaseIsUnhealthy() throws Exception {
    // GIVEN
    TargetSpec target = target(freshService());

    // WHEN v3, which says DOWN, rolls out
    Revision revision = platform.rollOut(target, "d-1", image("v3", 3));

    // THEN the platform sees it READY; its health is for the engine to judge
    awaitState(target, revision.id(), State.READY);
    HttpResponse<String> health = get(revision.url() + "/health");
    assertEquals(503, health.statusCode());
    assertTrue(health.body().contains("\"DOWN\""), health.body());
    assertEquals(
        revision.id(), health.headers().firstValue(StableProxy.REVISION_HEADER).orElse(null));
  }

  @Test
  void restore_shouldRouteTheStableUrlToTheServingRevision_whenRestored() throws Exception {
    // GIVEN v1 then v2 serving
    TargetSpec target = target(freshService());
    Revision first = platform.rollOut(target, "d-1", healthyImage(1));
    awaitState(target, first.id(), State.READY);
    assertEquals("shop v1", get(first.url() + "/").body().strip());
    Revision second = platform.rollOut(target, "d-2", healthyImage(2));
    awaitState(target, second.id(), State.READY);
    assertEquals("shop v2", get(second.url() + "/").body().strip());

    // WHEN
    platform.restore(target, first.id());

    // THEN the same URL answers with v1 again
    assertEquals(first.url(), second.url());
    assertEquals(first.url(), platform.describe(target).url());
    HttpResponse<String> response = get(first.url() + "/");
    assertEquals("shop v1", response.body().strip());
    assertEquals(first.id(), response.headers().firstValue(StableProxy.REVISION_HEADER).get());
  }

  @Test
  void describe_shouldBeUnchanged_whenANewInstanceReadsTheSameStateDir() throws Exception {
    // GIVEN a serving revision, and a host that stops
    TargetSpec target = target(freshService());
    Revision revision = platform.rollOut(target, "d-1", healthyImage(1));
    awaitState(target, revision.id(), State.READY);
    ServiceState before = platform.describe(target);
    platform.close();

    // WHEN a new host starts on the same state directory
    platform = new ProcessPlatform(stateDir, MODULE_DIR, Clock.system());

    // THEN it adopts the running process and serves the same URL
    assertEquals(before, platform.describe(target));
    assertEquals(State.READY, platform.observe(target, revision.id()).state());
    assertEquals("shop v1", get(before.url() + "/").body().strip());
    assertEquals(revision, platform.rollOut(target, "d-1", healthyImage(1)));
  }

  @Test
  void resume_shouldServeTheStableUrl_whenANewPlatformStartsOnTheSameStateDir() throws Exception {
    // GIVEN a serving revision, and a host that stops (its revision keeps running)
    TargetSpec target = target(freshService());
    Revision revision = platform.rollOut(target, "d-1", healthyImage(1));
    awaitState(target, revision.id(), State.READY);
    platform.close();

    // WHEN a new host starts on the same state directory, before any deployment touches it
    platform = new ProcessPlatform(stateDir, MODULE_DIR, Clock.system());
    List<String> problems = platform.resume();

    // THEN the stable URL answers at once, from the same process
    assertEquals(List.of(), problems);
    HttpResponse<String> response = get(revision.url() + "/");
    assertEquals("shop v1", response.body().strip());
    assertEquals(revision.id(), response.headers().firstValue(StableProxy.REVISION_HEADER).get());
  }

  @Test
  void resume_shouldStartTheServingRevisionAgain_whenItsProcessIsGone() throws Exception {
    // GIVEN a serving revision whose process died while the host was down
    TargetSpec target = target(freshService());
    Revision revision = platform.rollOut(target, "d-1", healthyImage(1));
    awaitState(target, revision.id(), State.READY);
    platform.close();
    ProcessHandle old = ProcessHandle.of(record(target, revision.id()).pid()).orElseThrow();
    old.destroyForcibly();
    old.onExit().get(10, TimeUnit.SECONDS);

    // WHEN a new host starts on the same state directory
    platform = new ProcessPlatform(stateDir, MODULE_DIR, Clock.system());
    assertEquals(List.of(), platform.resume());

    // THEN the revision runs again, in a new process, behind the same URL
    awaitTrue(() -> answers(revision.url() + "/", "shop v1"));
    assertTrue(record(target, revision.id()).pid() != old.pid());
  }

  @Test
  void rollOut_shouldGiveTheRevisionOnlyTheStatedEnvironment_whenTheHostHoldsSecrets()
      throws Exception {
    // GIVEN a host whose environment holds the promotion token and a webhook secret
    Map<String, String> host = new HashMap<>();
    host.put("PATH", System.getenv("PATH"));
    host.put("HOME", "/home/rollgate-test");
    host.put("ROLLGATE_PROMOTE_TOKEN", "promote-token-value");
    host.put("GITHUB_WEBHOOK_SECRET", "webhook-secret-value");
    host.put("AWS_SECRET_ACCESS_KEY", "aws-secret-value");
    platform.close();
    platform = new ProcessPlatform(stateDir, MODULE_DIR, Clock.system(), host);
    TargetSpec target = envDumper(freshService(), Map.of("env.GREETING", "hello world"));

    // WHEN a revision that prints its environment runs
    Map<String, String> seen = environmentOf(target);

    // THEN it sees the stated variables and the manifest's, and none of the host's secrets
    assertEquals("hello world", seen.get("GREETING"));
    assertEquals("/home/rollgate-test", seen.get("HOME"));
    assertEquals(System.getenv("PATH"), seen.get("PATH"));
    assertTrue(seen.containsKey("PORT"), seen.keySet().toString());
    assertEquals(target.get("service") + "-1", seen.get("ROLLGATE_REVISION"));
    assertFalse(seen.containsKey("ROLLGATE_PROMOTE_TOKEN"), seen.keySet().toString());
    assertFalse(seen.containsKey("GITHUB_WEBHOOK_SECRET"), seen.keySet().toString());
    assertFalse(seen.containsKey("AWS_SECRET_ACCESS_KEY"), seen.keySet().toString());
  }

  @Test
  void rollOut_shouldNotPassTheRealHostEnvironment_whenTheTestJvmHoldsThePromotionToken()
      throws Exception {
    // GIVEN this JVM's own environment (failsafe sets ROLLGATE_PROMOTE_TOKEN in it)
    assertTrue(System.getenv().containsKey("ROLLGATE_PROMOTE_TOKEN"), "set by the failsafe config");
    TargetSpec target = envDumper(freshService(), Map.of("env.LOG_LEVEL", "debug"));

    // WHEN
    Map<String, String> seen = environmentOf(target);

    // THEN every variable is a stated one or the manifest's
    Set<String> stated = new HashSet<>(RevisionEnvironment.INHERITED);
    stated.addAll(List.of("PORT", "ROLLGATE_REVISION", "ROLLGATE_IMAGE", "LOG_LEVEL"));
    assertTrue(stated.containsAll(seen.keySet()), "unstated: " + seen.keySet());
    assertEquals("debug", seen.get("LOG_LEVEL"));
    assertFalse(seen.containsKey("ROLLGATE_PROMOTE_TOKEN"));
  }

  @Test
  void validate_shouldNameEachWrongEnvEntry_whenNamesAreInvalidOrReserved() {
    // GIVEN
    TargetSpec target =
        new TargetSpec(
            "local",
            Map.of(
                "service", "shop",
                "command", "run",
                "env.1BAD", "x",
                "env.PORT", "80",
                "env.ROLLGATE_PROMOTE_TOKEN", "x",
                "env.GOOD_NAME", "fine"),
            "apps[0].environments.local.target");

    // WHEN
    List<String> problems = platform.validate(target);

    // THEN
    assertEquals(3, problems.size(), problems.toString());
    for (String key : List.of("env.1BAD", "env.PORT", "env.ROLLGATE_PROMOTE_TOKEN")) {
      assertTrue(
          problems.stream().anyMatch(p -> p.startsWith(target.path() + "." + key + ": ")),
          key + " in " + problems);
    }
  }

  @Test
  void retire_shouldStopOldProcesses_whenANewRevisionServes() throws Exception {
    // GIVEN v1 then v2 serving
    TargetSpec target = target(freshService());
    Revision first = platform.rollOut(target, "d-1", healthyImage(1));
    awaitState(target, first.id(), State.READY);
    Revision second = platform.rollOut(target, "d-2", healthyImage(2));
    awaitState(target, second.id(), State.READY);
    RevisionRecord old = record(target, first.id());

    // WHEN
    platform.retire(target, second.id());

    // THEN v1's process is gone and v2 still answers
    assertFalse(ProcessHandle.of(old.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertEquals(ServiceRecord.Status.STOPPED, record(target, first.id()).status());
    assertEquals("shop v2", get(second.url() + "/").body().strip());
  }

  @Test
  void restore_shouldStartTheRevisionAgain_whenItsProcessWasStopped() throws Exception {
    // GIVEN v1 retired in favour of v2
    TargetSpec target = target(freshService());
    Revision first = platform.rollOut(target, "d-1", healthyImage(1));
    awaitState(target, first.id(), State.READY);
    Revision second = platform.rollOut(target, "d-2", healthyImage(2));
    awaitState(target, second.id(), State.READY);
    platform.retire(target, second.id());

    // WHEN v1 is restored
    platform.restore(target, first.id());

    // THEN it runs again and serves
    awaitState(target, first.id(), State.READY);
    awaitTrue(() -> get(first.url() + "/").body().strip().equals("shop v1"));
    assertEquals(ServiceRecord.Status.RUNNING, record(target, first.id()).status());
  }

  @Test
  void validate_shouldNameEachWrongSetting_whenValuesAreInvalid() {
    // GIVEN
    TargetSpec target =
        new TargetSpec(
            "local",
            Map.of(
                "service", "Shop_1",
                "command", "run {nope}",
                "port", "70000",
                "startTimeout", "soon"),
            "apps[0].environments.local.target");

    // WHEN
    List<String> problems = platform.validate(target);

    // THEN
    assertEquals(4, problems.size(), problems.toString());
    for (String setting : List.of("service", "command", "port", "startTimeout")) {
      assertTrue(
          problems.stream().anyMatch(p -> p.startsWith(target.path() + "." + setting + ": ")),
          setting + " in " + problems);
    }
  }

  /** A target whose revisions print their environment and exit. */
  private static TargetSpec envDumper(String service, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("service", service);
    settings.put("command", "/usr/bin/env");
    return new TargetSpec("local", settings, "apps[0].environments.local.target");
  }

  /** Rolls a revision of {@code target} out and reads the environment it printed to its log. */
  private Map<String, String> environmentOf(TargetSpec target) throws Exception {
    Revision revision = platform.rollOut(target, "d-env", healthyImage(1));
    RolloutStatus status = awaitNot(target, revision.id(), State.IN_PROGRESS);
    assertTrue(status.detail().contains("exited with code 0"), status.detail());
    Path log =
        stateDir.resolve("logs").resolve(target.get("service")).resolve(revision.id() + ".log");
    Map<String, String> env = new TreeMap<>();
    for (String line : Files.readAllLines(log)) {
      int eq = line.indexOf('=');
      if (!line.startsWith("--- rollgate:") && eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  private boolean answers(String url, String body) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().strip().equals(body);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private RevisionRecord record(TargetSpec target, String id) throws Exception {
    return new StateStore(stateDir).load(target.get("service")).orElseThrow().revision(id).get();
  }

  private static ImageRef image(String tag, int n) {
    return new ImageRef("localhost:5000", "demo/shop", tag, "sha256:" + ("" + n).repeat(64));
  }

  private HttpResponse<String> get(String url) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + url + " failed: " + e, e);
    }
  }

  private RolloutStatus awaitNot(TargetSpec target, String revision, State state) throws Exception {
    Instant deadline = Instant.now().plus(readyTimeout());
    RolloutStatus last = platform.observe(target, revision);
    while (last.state() == state && Instant.now().isBefore(deadline)) {
      Clock.system().pause(Duration.ofMillis(50));
      last = platform.observe(target, revision);
    }
    return last;
  }

  private void awaitTrue(BooleanSupplier condition) throws Exception {
    Instant deadline = Instant.now().plus(readyTimeout());
    while (!condition.getAsBoolean()) {
      assertTrue(Instant.now().isBefore(deadline), "condition not met within " + readyTimeout());
      Clock.system().pause(Duration.ofMillis(50));
    }
  }
}
