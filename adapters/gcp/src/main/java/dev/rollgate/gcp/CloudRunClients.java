package dev.rollgate.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.run.v2.RevisionsClient;
import com.google.cloud.run.v2.RevisionsSettings;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.run.v2.TasksClient;
import com.google.cloud.run.v2.TasksSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Cloud Run Admin API v2 clients (Google's google-cloud-run), each built on first use and
 * pointed where {@link GcpClients} says. Unary calls are made once (the adapter retries whole
 * read-modify-writes itself, see {@link GcpFaults}); long-running operations are polled every
 * {@link GcpSettings#operationPoll()} for at most {@link GcpSettings#operationTimeout()}.
 */
final class CloudRunClients implements AutoCloseable {

  private final GcpSettings settings;
  private final GcpClients clients;
  private final TransportChannelProvider channel;
  private final List<AutoCloseable> built = new ArrayList<>();
  private ServicesClient services;
  private RevisionsClient revisions;
  private JobsClient jobs;
  private ExecutionsClient executions;
  private TasksClient tasks;

  /** Clients configured by {@code clients} (Google's endpoints, or the emulator). */
  CloudRunClients(GcpClients clients) {
    this(clients.settings(), clients, null);
  }

  /** Clients on {@code channel} without credentials: a fake served in-process (tests). */
  CloudRunClients(GcpSettings settings, TransportChannelProvider channel) {
    this(settings, null, channel);
  }

  private CloudRunClients(
      GcpSettings settings, GcpClients clients, TransportChannelProvider channel) {
    this.settings = settings;
    this.clients = clients;
    this.channel = channel;
  }

  GcpSettings settings() {
    return settings;
  }

  synchronized ServicesClient services() {
    if (services == null) {
      ServicesSettings.Builder b = configure(ServicesSettings.newBuilder());
      b.applyToAllUnaryMethods(CloudRunClients::once);
      b.updateServiceOperationSettings().setPollingAlgorithm(polling(settings.operationTimeout()));
      b.createServiceOperationSettings().setPollingAlgorithm(polling(settings.operationTimeout()));
      services = keep(create(() -> ServicesClient.create(b.build())));
    }
    return services;
  }

  synchronized RevisionsClient revisions() {
    if (revisions == null) {
      RevisionsSettings.Builder b = configure(RevisionsSettings.newBuilder());
      b.applyToAllUnaryMethods(CloudRunClients::once);
      revisions = keep(create(() -> RevisionsClient.create(b.build())));
    }
    return revisions;
  }

  synchronized JobsClient jobs() {
    if (jobs == null) {
      JobsSettings.Builder b = configure(JobsSettings.newBuilder());
      b.applyToAllUnaryMethods(CloudRunClients::once);
      b.updateJobOperationSettings().setPollingAlgorithm(polling(settings.operationTimeout()));
      b.createJobOperationSettings().setPollingAlgorithm(polling(settings.operationTimeout()));
      b.runJobOperationSettings().setPollingAlgorithm(polling(settings.jobTimeout()));
      jobs = keep(create(() -> JobsClient.create(b.build())));
    }
    return jobs;
  }

  synchronized ExecutionsClient executions() {
    if (executions == null) {
      ExecutionsSettings.Builder b = configure(ExecutionsSettings.newBuilder());
      b.applyToAllUnaryMethods(CloudRunClients::once);
      executions = keep(create(() -> ExecutionsClient.create(b.build())));
    }
    return executions;
  }

  synchronized TasksClient tasks() {
    if (tasks == null) {
      TasksSettings.Builder b = configure(TasksSettings.newBuilder());
      b.applyToAllUnaryMethods(CloudRunClients::once);
      tasks = keep(create(() -> TasksClient.create(b.build())));
    }
    return tasks;
  }

  private <B extends ClientSettings.Builder<?, ?>> B configure(B builder) {
    if (clients != null) {
      return clients.configure(builder);
    }
    builder.setTransportChannelProvider(channel);
    builder.setCredentialsProvider(NoCredentialsProvider.create());
    return builder;
  }

  /** Every unary call made once: {@link GcpFaults} retries, re-reading what it changes. */
  private static Void once(UnaryCallSettings.Builder<?, ?> call) {
    call.setRetryableCodes(Set.of());
    return null;
  }

  /** Polls every {@code operationPoll}, giving up after {@code total}. */
  private OperationTimedPollAlgorithm polling(Duration total) {
    Duration poll = settings.operationPoll();
    return OperationTimedPollAlgorithm.create(
        RetrySettings.newBuilder()
            .setInitialRetryDelayDuration(poll)
            .setRetryDelayMultiplier(1.0)
            .setMaxRetryDelayDuration(poll)
            .setInitialRpcTimeoutDuration(Duration.ZERO)
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(Duration.ZERO)
            .setTotalTimeoutDuration(total)
            .build());
  }

  private interface Factory<T> {
    T create() throws IOException;
  }

  private static <T> T create(Factory<T> factory) {
    try {
      return factory.create();
    } catch (IOException e) {
      throw new UncheckedIOException("gcp: could not build a Cloud Run client: " + e, e);
    }
  }

  private <T extends AutoCloseable> T keep(T client) {
    built.add(client);
    return client;
  }

  @Override
  public synchronized void close() {
    for (AutoCloseable c : built) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing is best effort: the channel goes with GcpClients.
      }
    }
    built.clear();
    services = null;
    revisions = null;
    jobs = null;
    executions = null;
    tasks = null;
  }
}
