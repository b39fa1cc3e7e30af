package dev.rollgate.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.fluent.models.JobExecutionInner;
import com.azure.resourcemanager.appcontainers.fluent.models.JobInner;
import com.azure.resourcemanager.appcontainers.fluent.models.RevisionInner;
import com.azure.resourcemanager.appcontainers.models.JobExecutionTemplate;
import dev.rollgate.core.port.PlatformException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Container Apps calls rollgate makes, through Azure's SDK, every failure translated by {@link
 * AzureFaults#translate}: apps (GET, PATCH awaited as a long-running operation), revisions (list,
 * get, activate, deactivate), jobs (GET, start awaited), executions (list, get, stop).
 */
final class ContainerAppsApi {

  private final AzureClients clients;

  ContainerAppsApi(AzureClients clients) {
    this.clients = clients;
  }

  AzureSettings settings() {
    return clients.settings();
  }

  ContainerAppInner app(ContainerAppsTarget t) throws PlatformException {
    return call(
        "reading " + t.describe(),
        "create the Container App first (infra/azure, or az containerapp create), or fix"
            + " target.app / target.resourceGroup",
        () -> api(t).getContainerApps().getByResourceGroup(t.resourceGroup(), t.app()));
  }

  /** PATCHes the app (JSON merge patch) and waits for ARM's operation to finish. */
  ContainerAppInner update(ContainerAppsTarget t, ContainerAppInner patch, String what)
      throws PlatformException {
    return call(
        what + " of " + t.describe(),
        "the app was deleted; create it again",
        () ->
            api(t)
                .getContainerApps()
                .beginUpdate(t.resourceGroup(), t.app(), patch, Context.NONE)
                .getFinalResult());
  }

  Optional<RevisionInner> revision(ContainerAppsTarget t, String name) throws PlatformException {
    try {
      return Optional.of(
          api(t).getContainerAppsRevisions().getRevision(t.resourceGroup(), t.app(), name));
    } catch (RuntimeException e) {
      if (AzureFaults.status(e) == 404) {
        return Optional.empty();
      }
      throw AzureFaults.translate(e, "reading revision " + name + " of " + t.describe(), "");
    }
  }

  List<RevisionInner> revisions(ContainerAppsTarget t) throws PlatformException {
    return call(
        "listing the revisions of " + t.describe(),
        "create the Container App first",
        () ->
            api(t).getContainerAppsRevisions().listRevisions(t.resourceGroup(), t.app()).stream()
                .toList());
  }

  void activate(ContainerAppsTarget t, String revision) throws PlatformException {
    call(
        "activating revision " + revision + " of " + t.describe(),
        "the revision was deleted: restore another one by hand (az containerapp ingress traffic set)",
        () -> {
          api(t).getContainerAppsRevisions().activateRevision(t.resourceGroup(), t.app(), revision);
          return null;
        });
  }

  void deactivate(ContainerAppsTarget t, String revision) throws PlatformException {
    call(
        "deactivating revision " + revision + " of " + t.describe(),
        "nothing to do: the revision is gone",
        () -> {
          api(t)
              .getContainerAppsRevisions()
              .deactivateRevision(t.resourceGroup(), t.app(), revision);
          return null;
        });
  }

  JobInner job(ContainerAppsTarget t) throws PlatformException {
    return call(
        "reading " + t.describeJob(),
        "create the job first (infra/azure, or az containerapp job create --trigger-type"
            + " Manual), or fix target.job",
        () -> api(t).getJobs().getByResourceGroup(t.resourceGroup(), t.job()));
  }

  /** Starts an execution of the job with {@code template} and returns the execution's name. */
  String start(ContainerAppsTarget t, JobExecutionTemplate template) throws PlatformException {
    return call(
        "starting " + t.describeJob(),
        "create the job first, or fix target.job",
        () ->
            api(t)
                .getJobs()
                .beginStart(t.resourceGroup(), t.job(), template, Context.NONE)
                .getFinalResult()
                .name());
  }

  List<JobExecutionInner> executions(ContainerAppsTarget t) throws PlatformException {
    return call(
        "listing the executions of " + t.describeJob(),
        "create the job first, or fix target.job",
        () -> api(t).getJobsExecutions().list(t.resourceGroup(), t.job()).stream().toList());
  }

  JobExecutionInner execution(ContainerAppsTarget t, String name) throws PlatformException {
    return call(
        "reading execution " + name + " of " + t.describeJob(),
        "the execution was deleted",
        () -> api(t).getResourceProviders().jobExecution(t.resourceGroup(), t.job(), name));
  }

  void stop(ContainerAppsTarget t, String name) throws PlatformException {
    call(
        "stopping execution " + name + " of " + t.describeJob(),
        "nothing to stop",
        () -> {
          api(t).getJobs().beginStopExecution(t.resourceGroup(), t.job(), name).getFinalResult();
          return null;
        });
  }

  private ContainerAppsApiClient api(ContainerAppsTarget t) {
    return clients.containerApps(t.subscription());
  }

  private static <T> T call(String what, String notFoundFix, Supplier<T> call)
      throws PlatformException {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw AzureFaults.translate(e, what, notFoundFix);
    }
  }
}
