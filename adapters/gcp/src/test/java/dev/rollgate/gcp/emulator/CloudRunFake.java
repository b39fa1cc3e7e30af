package dev.rollgate.gcp.emulator;

import io.grpc.BindableService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The Cloud Run Admin API v2 fake: Services, Revisions, Jobs, Executions, Tasks and the
 * google.longrunning Operations their writes answer, over one {@link CloudRunStore}, with {@link
 * CloudRunFaults} for tests. {@link GcpEmulator} serves it; tests may build one of their own to
 * reach its faults.
 */
public final class CloudRunFake {

  /** How long an operation waits at most when nobody polls it. */
  static final Duration OPERATION_DELAY = Duration.ofMillis(300);

  private final CloudRunFaults faults = new CloudRunFaults();
  private final List<BindableService> services;

  public CloudRunFake() {
    CloudRunStore store = new CloudRunStore(Clock.systemUTC(), OPERATION_DELAY);
    FakeCalls calls = new FakeCalls(store, faults);
    JobRuns runs = new JobRuns(store);
    services =
        List.of(
            new FakeServices(store, calls),
            new FakeRevisions(store, calls),
            new FakeJobs(store, calls, runs),
            new FakeExecutions(store, calls, runs),
            new FakeExecutions.Tasks(store, calls, runs),
            new FakeOperations(store, calls));
  }

  /** The gRPC services to serve. */
  public List<BindableService> services() {
    return services;
  }

  /** The faults it injects (none until a test asks). */
  public CloudRunFaults faults() {
    return faults;
  }
}
