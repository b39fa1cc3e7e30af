package dev.rollgate.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One backup of an app's database as its snapshotter took it: what it holds, and what a restore of
 * it must show to count as verified.
 *
 * @param id unique within the app and environment, sortable by time
 * @param kind the snapshotter that took it ({@code postgres-logical}, later RDS, Cloud SQL, ...)
 * @param took how long taking it lasted
 * @param schemaVersion the Flyway schema version of the database at backup time, or null
 * @param schemaLocations the migration locations that rebuild that schema, placeholders resolved
 * @param tables the tables in load order (referenced tables first) with their expected row counts
 *     and checksums; empty for kinds that do not record them
 * @param sequences the sequences and their values at backup time
 * @param bytes the stored size
 * @param fingerprint sha256 of the backup's own manifest, so that a later change to it shows
 * @param location where the backup is stored, for people (never a secret)
 */
public record Snapshot(
    String id,
    String app,
    String environment,
    String kind,
    Instant takenAt,
    Duration took,
    String schemaVersion,
    List<String> schemaLocations,
    List<Table> tables,
    List<Sequence> sequences,
    long bytes,
    String fingerprint,
    String location) {

  public Snapshot {
    schemaLocations = List.copyOf(schemaLocations);
    tables = List.copyOf(tables);
    sequences = List.copyOf(sequences);
  }

  /** The same backup, its schema to be rebuilt with other migration locations. */
  public Snapshot withSchemaLocations(List<String> locations) {
    return new Snapshot(
        id,
        app,
        environment,
        kind,
        takenAt,
        took,
        schemaVersion,
        locations,
        tables,
        sequences,
        bytes,
        fingerprint,
        location);
  }

  /** The rows of all tables. */
  public long rows() {
    return tables.stream().mapToLong(Table::rows).sum();
  }

  /**
   * One table's content.
   *
   * @param name {@code schema.table}
   * @param checksum a checksum of the table's rows that does not depend on their order
   * @param bytes the stored size of the table's data
   */
  public record Table(String name, long rows, String checksum, long bytes) {}

  /**
   * One sequence's state, as {@code setval(name, lastValue, called)} restores it.
   *
   * @param called false when {@code nextval} was never called: the next value is {@code lastValue}
   */
  public record Sequence(String name, long lastValue, boolean called) {}
}
