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

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public void beforeManifest(Contributions c) {
    clients = c.closeOnExit(new GcpClients(GcpSettings.from(c.settings()::get)));
  }

  @Override
  public void withManifest(Manifest manifest, Contributions c) {}
}
