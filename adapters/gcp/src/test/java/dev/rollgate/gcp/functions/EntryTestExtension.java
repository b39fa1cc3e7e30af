package dev.rollgate.gcp.functions;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.backup.DirectoryBackupStore;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.testing.InMemoryPlatform;
import java.nio.file.Path;

/**
 * For the entry's tests only, off unless {@code rollgate.gcp-entry-test.enabled=true}: the
 * in-memory platform ({@code platform: memory}) and backups in a directory ({@code dir:/path}), so
 * that the Cloud Functions entry is tested without Cloud Run or Cloud Storage.
 */
public final class EntryTestExtension implements RollgateExtension {

  /** The platform every assembly in this JVM shares, so that tests can see what was rolled out. */
  static final InMemoryPlatform PLATFORM = new InMemoryPlatform();

  static final String ENABLED = "rollgate.gcp-entry-test.enabled";

  @Override
  public String name() {
    return "gcp-entry-test";
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
