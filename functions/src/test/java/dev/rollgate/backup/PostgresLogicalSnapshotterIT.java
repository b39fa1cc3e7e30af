package dev.rollgate.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.DatabaseInspector;
import dev.rollgate.core.port.Snapshotter.Request;
import dev.rollgate.core.port.Snapshotter.RestoredDatabase;
import dev.rollgate.core.port.Snapshotter.Scratch;
import dev.rollgate.testing.FakeClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logical backups on embedded PostgreSQL: what goes in comes back out, exactly. */
class PostgresLogicalSnapshotterIT {

  @TempDir Path dir;

  private final FakeClock clock = new FakeClock();

  private PostgresLogicalSnapshotter snapshotter(int gzipLevel) {
    return new PostgresLogicalSnapshotter(
        new DirectoryBackupStore(dir.resolve("store")),
        new SameServerScratchDatabases(clock),
        clock,
        new PostgresLogicalSnapshotter.Settings(
            2, gzipLevel, PostgresLogicalSnapshotter.class.getClassLoader()));
  }

  private static Request request(ShopDatabase db) {
    return new Request(
        "shop", "staging", db.url, "env:SHOP_DB", List.of("filesystem:" + db.migrations));
  }

  @Test
  void restore_shouldBringBackEveryRowSequenceAndSchemaVersion_whenBackedUp() throws Exception {
    // GIVEN a database with foreign keys, nulls, bytea, unicode, large text and sequences
    ShopDatabase db = ShopDatabase.create(dir);
    Map<String, String> before = ShopDatabase.contents(db.url);
    PostgresLogicalSnapshotter snapshotter = snapshotter(1);

    // WHEN it is backed up and restored into a scratch database
    Snapshot snapshot = snapshotter.take(request(db));
    Scratch scratch = new Scratch("rgv_" + clock.now().getEpochSecond() + "_aa0001", db.url);
    RestoredDatabase restored = snapshotter.restore(snapshot, scratch);

    // THEN every row, sequence value and the schema version are equal
    assertEquals(before, ShopDatabase.contents(restored.jdbcUrl()));
    assertEquals("2", snapshot.schemaVersion());
    assertEquals(
        List.of("public.customers", "public.products", "public.orders", "audit.events"),
        snapshot.tables().stream().map(Snapshot.Table::name).toList());
    assertEquals(500 + 3 - 3 + 4 + 2005 + 100, snapshot.rows());
    assertTrue(
        snapshot.sequences().contains(new Snapshot.Sequence("public.invoice_numbers", 1002, true)));
    assertTrue(snapshot.sequences().contains(new Snapshot.Sequence("audit.unused_seq", 1, false)));
    // AND the inspector sees in the restored database what the backup recorded
    DatabaseInspector.State state = new PostgresInspector().inspect(restored);
    assertEquals(
        snapshot.tables().stream()
            .map(t -> t.name() + " " + t.rows() + " " + t.checksum())
            .sorted()
            .toList(),
        state.tables().stream()
            .map(t -> t.name() + " " + t.rows() + " " + t.checksum())
            .sorted()
            .toList());
    assertEquals(snapshot.sequences(), state.sequences());
    assertEquals("2", state.schemaVersion());
    assertEquals("2005", new PostgresInspector().query(restored, "select count(*) from orders"));

    // AND the scratch database is gone once dropped
    snapshotter.drop(scratch);
    snapshotter.drop(scratch);
    assertFalse(ShopDatabase.scratchDatabases().contains(scratch.name()));
  }

  @Test
  void restore_shouldLoadInDependencyOrder_whenTheRoleMayNotTurnForeignKeysOff() throws Exception {
    // GIVEN a database owned by a role that is no superuser (no replica mode, FKs stay on)
    String owner = "rg_app_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
    ShopDatabase db = ShopDatabase.create(dir, owner);
    PostgresLogicalSnapshotter snapshotter = snapshotter(1);
    Snapshot snapshot = snapshotter.take(request(db));
    Scratch scratch = new Scratch("rgv_" + clock.now().getEpochSecond() + "_aa0003", db.url);

    // WHEN restored as that role THEN it equals the original, and the scratch database goes
    try {
      RestoredDatabase restored = snapshotter.restore(snapshot, scratch);
      assertEquals(ShopDatabase.contents(db.url), ShopDatabase.contents(restored.jdbcUrl()));
    } finally {
      snapshotter.drop(scratch);
    }
    assertFalse(ShopDatabase.scratchDatabases().contains(scratch.name()));
  }

  @Test
  void restore_shouldRoundTrip_whenStoredUncompressed() throws Exception {
    // GIVEN a backup stored as plain COPY text
    ShopDatabase db = ShopDatabase.create(dir);
    PostgresLogicalSnapshotter snapshotter = snapshotter(0);
    Snapshot snapshot = snapshotter.take(request(db));
    Scratch scratch = new Scratch("rgv_" + clock.now().getEpochSecond() + "_aa0002", db.url);

    // WHEN restored THEN it equals the original
    try {
      RestoredDatabase restored = snapshotter.restore(snapshot, scratch);
      assertEquals(ShopDatabase.contents(db.url), ShopDatabase.contents(restored.jdbcUrl()));
    } finally {
      snapshotter.drop(scratch);
    }
  }

  @Test
  void take_shouldWriteOneFilePerTableAndManifestLast_whenBackedUp() throws Exception {
    // GIVEN a database WHEN backed up
    ShopDatabase db = ShopDatabase.create(dir);
    PostgresLogicalSnapshotter snapshotter = snapshotter(1);
    Snapshot snapshot = snapshotter.take(request(db));

    // THEN the store holds one gzip file per table and the manifest, listed as a snapshot
    DirectoryBackupStore store = new DirectoryBackupStore(dir.resolve("store"));
    String prefix = "shop/staging/" + snapshot.id() + "/";
    assertEquals(
        List.of(
            prefix + "000-public.customers.copy.gz",
            prefix + "001-public.products.copy.gz",
            prefix + "002-public.orders.copy.gz",
            prefix + "003-audit.events.copy.gz",
            prefix + "manifest.json"),
        store.list("shop/").stream().map(e -> e.key()).toList());
    try (var in = new GZIPInputStream(store.get(prefix + "001-public.products.copy.gz"))) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(text.contains("\\\\x000102030405"), text);
    }
    assertEquals(List.of(snapshot), snapshotter.list("shop", "staging"));
    assertNotEquals(null, snapshot.fingerprint());
    assertTrue(snapshot.location().endsWith("/store/" + prefix), snapshot.location());
  }
}
