package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.rpc.AbortedException;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.UpdateJobRequest;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake's own invariants, through Google's client: what the real Admin API v2 does and rollgate
 * relies on (etags, revision names, operations that are not done at once, job executions).
 */
class CloudRunFakeIT {

  private CloudRunFakeHarness fake;
  private String service;

  @BeforeEach
  void start() throws Exception {
    fake = new CloudRunFakeHarness();
    service = CloudRunFakeHarness.fresh("fake");
    fake.createPlaceholderService(service);
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @Test
  void updateService_shouldBeAborted_whenTheEtagIsStale() throws Exception {
    // GIVEN a service read, then changed by someone else
    Service read = fake.service(service);
    update(read.toBuilder().putLabels("by", "someone-else").build());

    // WHEN the first reader sends its change with the old etag
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> update(read.toBuilder().putLabels("by", "me").build()));

    // THEN ABORTED, and nothing of it applied
    assertTrue(e.getCause() instanceof AbortedException, e.toString());
    assertEquals("someone-else", fake.service(service).getLabelsMap().get("by"));
  }

  @Test
  void updateService_shouldRefuseAReusedRevisionName_whenTheTemplateDiffers() throws Exception {
    // GIVEN a revision named explicitly
    Service s = fake.service(service);
    update(named(s, "mine", "europe-docker.pkg.dev/p/a@sha256:" + "1".repeat(64)));

    // WHEN the same name comes with another template; and again with the same one
    Service again = fake.service(service);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                update(named(again, "mine", "europe-docker.pkg.dev/p/a@sha256:" + "2".repeat(64))));
    update(
        named(fake.service(service), "mine", "europe-docker.pkg.dev/p/a@sha256:" + "1".repeat(64)));

    // THEN ALREADY_EXISTS as Cloud Run says it; the same template makes no second revision
    assertTrue(e.getCause() instanceof AlreadyExistsException, e.toString());
    assertTrue(
        e.getMessage().contains("with different configuration already exists"), e.getMessage());
    assertEquals(2, fake.revisions(service).size());
  }

  @Test
  void updateService_shouldAnswerAnOperationNotDoneYet_whenCalled() throws Exception {
    // GIVEN
    Service s = fake.service(service);

    // WHEN the raw call is made, and the operation is polled
    Operation first =
        fake.clients
            .services()
            .updateServiceCallable()
            .call(UpdateServiceRequest.newBuilder().setService(named(s, "v2", "img:2")).build());
    List<Boolean> polls = new ArrayList<>();
    var operations = fake.clients.services().getOperationsClient();
    for (int i = 0; i < 3; i++) {
      polls.add(operations.getOperation(first.getName()).getDone());
    }

    // THEN not done at once, done after a later poll, with the Service packed in it
    assertFalse(first.getDone());
    assertTrue(first.getMetadata().is(Service.class));
    assertEquals(List.of(false, true, true), polls);
    Operation done = operations.getOperation(first.getName());
    Service answered = done.getResponse().unpack(Service.class);
    assertEquals(answered.getGeneration(), answered.getObservedGeneration());
    assertEquals(answered.getTraffic(0).getType(), answered.getTrafficStatuses(0).getType());
  }

  @Test
  void runJob_shouldFailItsTasksWithExitCode1_whenTheImageIsBadjob() throws Exception {
    // GIVEN a job whose image digest starts with sha256:badjob
    fake.createJob("shop-migrate", List.of("migrate"));
    String name = CloudRunFakeHarness.PARENT + "/jobs/shop-migrate";
    Job job = fake.clients.jobs().getJob(name);
    Job bad =
        job.toBuilder()
            .setTemplate(
                job.getTemplate().toBuilder()
                    .setTemplate(
                        job.getTemplate().getTemplate().toBuilder()
                            .setContainers(
                                0,
                                job.getTemplate().getTemplate().getContainers(0).toBuilder()
                                    .setImage(
                                        "europe-docker.pkg.dev/p/m@sha256:badjob"
                                            + "0".repeat(58)))))
            .build();
    fake.clients
        .jobs()
        .updateJobAsync(UpdateJobRequest.newBuilder().setJob(bad).build())
        .get(10, TimeUnit.SECONDS);

    // WHEN it runs with overrides
    Execution e =
        fake.clients
            .jobs()
            .runJobAsync(
                RunJobRequest.newBuilder()
                    .setName(name)
                    .setOverrides(
                        RunJobRequest.Overrides.newBuilder()
                            .setTaskCount(2)
                            .addContainerOverrides(
                                RunJobRequest.Overrides.ContainerOverride.newBuilder()
                                    .addArgs("up")))
                    .build())
            .get(10, TimeUnit.SECONDS);

    // THEN both tasks failed with exit code 1, and the execution says why and where the logs are
    assertEquals(2, e.getTaskCount());
    assertEquals(2, e.getFailedCount());
    assertEquals(0, e.getSucceededCount());
    Condition completed =
        e.getConditionsList().stream()
            .filter(c -> c.getType().equals("Completed"))
            .findFirst()
            .orElseThrow();
    assertEquals(Condition.State.CONDITION_FAILED, completed.getState());
    assertEquals(Condition.ExecutionReason.NON_ZERO_EXIT_CODE, completed.getExecutionReason());
    assertTrue(e.getLogUri().startsWith("https://console.cloud.google.com/logs/"), e.getLogUri());
    assertEquals(List.of("up"), e.getTemplate().getContainers(0).getArgsList());
    for (Task t : fake.clients.tasks().listTasks(e.getName()).iterateAll()) {
      assertEquals(1, t.getLastAttemptResult().getExitCode());
    }
  }

  private void update(Service s) throws Exception {
    fake.clients
        .services()
        .updateServiceAsync(UpdateServiceRequest.newBuilder().setService(s).build())
        .get(10, TimeUnit.SECONDS);
  }

  private Service named(Service s, String suffix, String image) {
    return s.toBuilder()
        .setTemplate(
            s.getTemplate().toBuilder()
                .setRevision(service + "-" + suffix)
                .setContainers(0, s.getTemplate().getContainers(0).toBuilder().setImage(image)))
        .build();
  }
}
