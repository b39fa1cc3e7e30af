package dev.rollgate.gcp.bench;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.gcp.GcpClients;
import dev.rollgate.gcp.GcpSettings;

/**
 * Adds {@link StandInCloudRunPlatform} to an artifact that has no Cloud Run platform yet; put on
 * the function's class path by the cold-start bench and the packaged-artifact test only.
 */
public final class StandInExtension implements RollgateExtension {

  @Override
  public String name() {
    return "bench-cloudrun";
  }

  @Override
  public void withManifest(Manifest manifest, Contributions c) {
    GcpClients clients = c.closeOnExit(new GcpClients(GcpSettings.from(c.settings()::get)));
    c.platform(c.closeOnExit(new StandInCloudRunPlatform(clients)));
  }
}
