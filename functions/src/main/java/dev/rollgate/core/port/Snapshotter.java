package dev.rollgate.core.port;

import dev.rollgate.core.model.Snapshot;
import java.time.Instant;
import java.util.List;

/**
 * Takes backups of an app's database and restores them into a scratch database or instance: a
 * logical PostgreSQL backup to a {@link BackupStore} today; RDS, Cloud SQL and Azure snapshots plug
 * in the same way, and the same verification runs on what they restore.
 */
public interface Snapshotter {

  /** The kind of snapshot it takes, recorded with each backup, e.g. {@code postgres-logical}. */
  String kind();

  /**
   * Takes a consistent backup. A backup that is interrupted never becomes visible: it appears in
   * {@link #list} only once everything, its manifest last, is written.
   */
  Snapshot take(Request request) throws BackupException;

  /** The complete backups of an app and environment, newest first. */
  List<Snapshot> list(String app, String environment) throws BackupException;

  /**
   * Creates the scratch database {@code scratch} and restores {@code snapshot} into it. On failure
   * the scratch may be left half-built: the caller always calls {@link #drop} afterwards.
   *
   * @throws BackupException naming what did not restore (a file, a table, the schema version)
   */
  RestoredDatabase restore(Snapshot snapshot, Scratch scratch) throws BackupException;

  /** Removes the scratch database and whatever a restore put there. Idempotent. */
  void drop(Scratch scratch) throws BackupException;

  /** Deletes a backup from its store (retention), its manifest first. Idempotent. */
  void delete(Snapshot snapshot) throws BackupException;

  /**
   * Removes what backups that never completed left behind (their writer was killed midway), if they
   * began before {@code startedBefore}, so that they do not fill the store; returns their ids.
   * Backups still being written are younger than that. By default there is nothing to sweep.
   */
  default List<String> sweep(String app, String environment, Instant startedBefore)
      throws BackupException {
    return List.of();
  }

  /**
   * What to back up.
   *
   * @param databaseUrl the JDBC URL of the app's database: a secret, never printed
   * @param databaseRef the secret reference it came from, for messages
   * @param schemaLocations the migration locations that rebuild the schema, placeholders resolved
   */
  record Request(
      String app,
      String environment,
      String databaseUrl,
      String databaseRef,
      List<String> schemaLocations) {

    public Request {
      schemaLocations = List.copyOf(schemaLocations);
    }

    @Override
    public String toString() {
      return "Request[" + app + "/" + environment + " from " + databaseRef + "]";
    }
  }

  /**
   * Where a restore goes: a database (or instance) created for one verification.
   *
   * @param name a fresh name: lower-case letters, digits and '_', at most 63 characters
   * @param serverUrl the JDBC URL of the app's database (a secret): the scratch database goes on
   *     the same server unless the snapshotter is configured otherwise
   */
  record Scratch(String name, String serverUrl) {

    @Override
    public String toString() {
      return "Scratch[" + name + "]";
    }
  }

  /**
   * A restored database.
   *
   * @param jdbcUrl how to reach it: a secret, never printed
   */
  record RestoredDatabase(String name, String jdbcUrl) {

    @Override
    public String toString() {
      return "RestoredDatabase[" + name + "]";
    }
  }
}
