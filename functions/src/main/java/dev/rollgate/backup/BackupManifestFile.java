package dev.rollgate.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code manifest.json} of a logical backup, written after every table file is complete: its
 * presence is what makes a backup visible, and it holds what a restore test checks.
 *
 * @param format the layout version, {@code rollgate-logical-backup/1}
 * @param compression {@code gzip} or {@code none}
 * @param tables in load order (referenced tables first)
 */
record BackupManifestFile(
    String format,
    String id,
    String app,
    String environment,
    String takenAt,
    long tookMillis,
    String server,
    String schemaVersion,
    List<String> schemaLocations,
    String compression,
    List<TableEntry> tables,
    List<SequenceEntry> sequences) {

  static final String FORMAT = "rollgate-logical-backup/1";
  static final String NAME = "manifest.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  BackupManifestFile {
    schemaLocations = List.copyOf(schemaLocations);
    tables = List.copyOf(tables);
    sequences = List.copyOf(sequences);
  }

  /**
   * One table's file.
   *
   * @param rawBytes the size of its COPY text before compression
   * @param bytes the size of the stored file
   * @param sha256 of the stored file
   */
  record TableEntry(
      String schema,
      String name,
      String file,
      long rows,
      String checksum,
      long rawBytes,
      long bytes,
      String sha256) {

    String display() {
      return schema + "." + name;
    }

    String sql() {
      return PgSession.qualified(schema, name);
    }
  }

  /** One sequence's value; {@code called} false means the next value is {@code lastValue}. */
  record SequenceEntry(String schema, String name, long lastValue, boolean called) {

    String display() {
      return schema + "." + name;
    }
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the backup manifest", e);
    }
  }

  static BackupManifestFile parse(byte[] json, String where) throws BackupException {
    BackupManifestFile m;
    try {
      m = JSON.readValue(json, BackupManifestFile.class);
    } catch (IOException e) {
      throw new BackupException(
          "%s is not a readable backup manifest: %s"
              .formatted(where, String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    }
    if (!FORMAT.equals(m.format())) {
      throw new BackupException(
          "%s has format '%s'; this rollgate reads %s".formatted(where, m.format(), FORMAT));
    }
    return m;
  }

  Snapshot toSnapshot(String fingerprint, String location) {
    return toSnapshot(id, fingerprint, location);
  }

  /**
   * The backup stored under {@code storedAs}: its own id, unless another backup's manifest was
   * moved or copied there. The store's name wins, so that a restore and a delete act on what is
   * there, and the fingerprint (of the manifest found there) shows the mix-up.
   */
  Snapshot toSnapshot(String storedAs, String fingerprint, String location) {
    return new Snapshot(
        storedAs,
        app,
        environment,
        PostgresLogicalSnapshotter.KIND,
        Instant.parse(takenAt),
        Duration.ofMillis(tookMillis),
        schemaVersion,
        schemaLocations,
        tables.stream()
            .map(t -> new Snapshot.Table(t.display(), t.rows(), t.checksum(), t.bytes()))
            .toList(),
        sequences.stream()
            .map(s -> new Snapshot.Sequence(s.display(), s.lastValue(), s.called()))
            .toList(),
        tables.stream().mapToLong(TableEntry::bytes).sum(),
        fingerprint,
        location);
  }
}
