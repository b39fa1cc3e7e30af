package dev.rollgate.gcp;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.core.manifest.Manifest;

/**
 * The Google Cloud adapter's contributions to rollgate. Settings: {@link GcpSettings#from}. No
 * client is built here: each is built on first use.
 */
public final class GcpExtension implements RollgateExtension {

  private GcpClients clients;
  private CloudRunClients cloudRun;

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public void beforeManifest(Contributions c) {
    clients = c.closeOnExit(new GcpClients(GcpSettings.from(c.settings()::get)));
    cloudRun = null;
  }

  @Override
  public void withManifest(Manifest manifest, Contributions c) {
    // Cloud Run: the platform and its job runner share clients, built on first use.
    if (cloudRun == null) {
      cloudRun = c.closeOnExit(new CloudRunClients(clients));
    }
    GcpFaults faults = GcpFaults.defaults(c.clock());
    c.platform(
        new CloudRunPlatform(new CloudRunServices(cloudRun), faults, clients.settings().project()));
    c.migrationRunner(
        new CloudRunJobRunner(new CloudRunJobs(cloudRun), faults, c.clock(), clients.settings()));
  }
}
