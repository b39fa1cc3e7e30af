package dev.rollgate.azure.functions;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.backup.DirectoryBackupStore;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.testing.InMemoryPlatform;
import java.nio.file.Path;

/**
 * For the entry's tests only, off unless {@code rollgate.azure-entry-test.enabled=true}: the
 * in-memory platform ({@code platform: memory}) and backups in a directory ({@code dir:/path}), so
 * that the Azure Functions entry is tested without Container Apps or Blob Storage.
 */
public final class AzureEntryTestExtension implements RollgateExtension {

  /** The platform every assembly in this JVM shares, so that tests can see what was rolled out. */
  static final InMemoryPlatform PLATFORM = new InMemoryPlatform();

  static final String ENABLED = "rollgate.azure-entry-test.enabled";

  @Override
  public String name() {
    return "azure-entry-test";
  }

  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public void beforeManifest(Contributions c) {
    c.backupStoreScheme(
        "dir", url -> new DirectoryBackupStore(Path.of(url.substring("dir:".length()))));
  }

  @Override
  public void withManifest(Manifest manifest, Contributions c) {
    c.platform(PLATFORM);
  }
}
