package dev.rollgate.core.port;

import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.Snapshotter.RestoredDatabase;
import java.util.List;

/**
 * Looks into a restored database, whichever snapshotter restored it: its schema version, each
 * table's row count and checksum, its sequences, and the answers to verification queries.
 */
public interface DatabaseInspector {

  /** Reads the state of every table and sequence, computed as the backup computed it. */
  State inspect(RestoredDatabase database) throws BackupException;

  /**
   * Runs one verification query, read-only, and returns the first column of its first row as text
   * ({@code null} for SQL NULL).
   *
   * @throws BackupException when the query fails or returns no row
   */
  String query(RestoredDatabase database, String sql) throws BackupException;

  /** What a database holds. */
  record State(
      String schemaVersion, List<Snapshot.Table> tables, List<Snapshot.Sequence> sequences) {

    public State {
      tables = List.copyOf(tables);
      sequences = List.copyOf(sequences);
    }
  }
}
