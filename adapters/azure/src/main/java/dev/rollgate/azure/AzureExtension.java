package dev.rollgate.azure;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.core.manifest.Manifest;

/**
 * The Azure adapter's contributions to rollgate (being built: issue 12). Settings are {@code
 * rollgate.azure.*}. No client is built here: each is built on first use.
 */
public final class AzureExtension implements RollgateExtension {

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public void beforeManifest(Contributions c) {}

  @Override
  public void withManifest(Manifest manifest, Contributions c) {}
}
