package dev.rollgate.gcp;

import com.google.api.gax.longrunning.OperationFuture;
import com.google.api.gax.longrunning.OperationSnapshot;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.UpdateServiceRequest;
import dev.rollgate.core.port.PlatformException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The Cloud Run service calls rollgate makes, each translated by {@link GcpFaults} into a {@link
 * PlatformException} naming the service and the fix.
 */
final class CloudRunServices {

  private static final Logger LOG = Logger.getLogger(CloudRunServices.class.getName());

  static final String CHECK_TARGET =
      "check target.project, target.region and target.service in the manifest, or create the"
          + " service first (infra/gcp)";

  /** How an accepted update ended. */
  record Outcome(boolean done, String error) {
    static final Outcome OK = new Outcome(true, null);
  }

  private final CloudRunClients clients;

  CloudRunServices(CloudRunClients clients) {
    this.clients = clients;
  }

  Service service(CloudRunTarget t) throws PlatformException {
    return call(
        "run.services.get",
        "GetService of " + t.describe(),
        () -> clients.services().getService(t.serviceName()));
  }

  /** The revision named {@code revision} of the target's service, or empty. */
  Optional<Revision> revision(CloudRunTarget t, String revision) throws PlatformException {
    try {
      return Optional.of(clients.revisions().getRevision(t.revisionName(revision)));
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw GcpFaults.translate(
          e,
          "run.revisions.get",
          "GetRevision of '" + revision + "' of " + t.describe(),
          CHECK_TARGET);
    }
  }

  /**
   * Sends {@code service} (with the etag it was read with) and waits for the operation. A refused
   * request throws; once Cloud Run accepted it, the operation's end is returned, not thrown: a
   * revision that never became healthy is for {@code observe} to report, with Cloud Run's words.
   */
  Outcome update(CloudRunTarget t, Service service, String what) throws PlatformException {
    OperationFuture<Service, Service> f =
        call(
            "run.services.update",
            "UpdateService of " + t.describe() + " (" + what + ")",
            () ->
                clients
                    .services()
                    .updateServiceAsync(
                        UpdateServiceRequest.newBuilder().setService(service).build()));
    try {
      OperationSnapshot accepted = f.getInitialFuture().get();
      LOG.info(
          () -> "cloudrun: %s: %s, operation %s".formatted(t.describe(), what, accepted.getName()));
    } catch (ExecutionException e) {
      throw GcpFaults.translate(
          unwrap(e),
          "run.services.update",
          "UpdateService of " + t.describe() + " (" + what + ")",
          CHECK_TARGET);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("gcp: interrupted while updating " + t.describe(), true, e);
    }
    try {
      f.get();
      return Outcome.OK;
    } catch (ExecutionException e) {
      if (GcpFaults.TRANSIENT.contains(GcpFaults.code(e))) {
        // Polling failed, not the operation: observe follows the rollout from here.
        LOG.warning(() -> "cloudrun: %s: %s: polling failed: %s".formatted(t.describe(), what, e));
        return new Outcome(false, null);
      }
      String error = GcpFaults.code(e) + ": " + GcpFaults.message(e.getCause());
      LOG.warning(() -> "cloudrun: %s: %s ended: %s".formatted(t.describe(), what, error));
      return new Outcome(true, error);
    } catch (CancellationException e) {
      LOG.info(
          () ->
              "cloudrun: %s: %s not done after %s; observe follows it"
                  .formatted(t.describe(), what, clients.settings().operationTimeout()));
      return new Outcome(false, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("gcp: interrupted while waiting for " + t.describe(), true, e);
    }
  }

  static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
  }

  private static <T> T call(String permission, String what, Supplier<T> call)
      throws PlatformException {
    try {
      return call.get();
    } catch (ApiException e) {
      throw GcpFaults.translate(e, permission, what, CHECK_TARGET);
    } catch (RuntimeException e) {
      if (GcpFaults.code(e) != null) {
        throw GcpFaults.translate(e, permission, what, CHECK_TARGET);
      }
      throw e;
    }
  }
}
