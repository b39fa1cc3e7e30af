package dev.rollgate.core.port;

import java.util.List;

/**
 * A restore could not rebuild the backup's schema version with the migrations it was given: they
 * are gone, moved, or stop below that version. The caller knows where else to look (the releases in
 * the ledger) and what to tell people.
 */
public class SchemaRebuildException extends BackupException {
  private static final long serialVersionUID = 1L;

  private final String version;
  private final List<String> locations;

  /**
   * @param version the schema version the backup was taken at
   * @param locations the migration locations that were tried
   * @param message what went wrong, naming both (never a database URL)
   */
  public SchemaRebuildException(String version, List<String> locations, String message) {
    super(message);
    this.version = version;
    this.locations = List.copyOf(locations);
  }

  public String version() {
    return version;
  }

  public List<String> locations() {
    return locations;
  }
}
