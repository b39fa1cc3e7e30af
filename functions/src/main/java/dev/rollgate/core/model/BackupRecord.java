package dev.rollgate.core.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A backup as the ledger remembers it: recorded only once the backup is complete in its store.
 *
 * @param fingerprint sha256 of the backup's manifest when it was written, to detect later changes
 * @param location where the backup is stored, for people
 */
public record BackupRecord(
    String id,
    String app,
    String environment,
    String kind,
    Instant takenAt,
    Duration took,
    String schemaVersion,
    int tables,
    long rows,
    long bytes,
    String fingerprint,
    String location) {

  /** The record of a snapshot that was just taken. */
  public static BackupRecord of(Snapshot s) {
    return new BackupRecord(
        s.id(),
        s.app(),
        s.environment(),
        s.kind(),
        s.takenAt(),
        s.took(),
        s.schemaVersion(),
        s.tables().size(),
        s.rows(),
        s.bytes(),
        s.fingerprint(),
        s.location());
  }
}
