package dev.rollgate.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.backup.BackupReport;
import dev.rollgate.core.backup.BackupService;
import dev.rollgate.core.backup.VerificationReport;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.ledger.JdbcBackupCatalog;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.InMemoryLedger;
import dev.rollgate.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and restore tests end to end on embedded PostgreSQL: a damaged backup (corrupted,
 * truncated, missing file, missing table, wrong schema version, altered manifest) fails with a
 * reason naming it and leaves no scratch database; an interrupted backup never becomes newest.
 */
class BackupVerificationIT {

  private static final String MANIFEST =
      """
apps:
  - name: shop
    image: localhost:5000/demo/shop
    environments:
      staging:
        target: { platform: local, service: shop-staging, command: run }
        migrations:
          flyway: { locations: ["filesystem:releases/{tag}/migrations"], database: env:SHOP_DB }
        backup:
          schedule: every 6h
          rpo: 24h
          verify:
            - { sql: "select count(*) from orders where placed_at > '2026-01-01'", expect: "> 0" }
            - { sql: "select count(*) from products where sku = 'SEED-1'", expect: "= 1" }
""";

  @TempDir Path dir;

  private final FakeClock clock = new FakeClock();
  private final List<String> alerts = new ArrayList<>();
  private final AtomicInteger failUploadAt = new AtomicInteger(-1);
  private ShopDatabase db;
  private Path store;
  private BackupService service;

  @BeforeEach
  void setUp() throws Exception {
    db = ShopDatabase.create(dir);
    store = dir.resolve("store");
    InMemoryLedger ledger = new InMemoryLedger();
    ledger.record(
        "push-v2",
        "test",
        clock.now(),
        List.of(
            Deployments.aDeployment()
                .image(Deployments.image("v2", 2))
                .schemaVersion("2")
                .build()));
    service =
        new BackupService(
            ManifestLoader.parse(MANIFEST, "rollgate.yaml", dir),
            ledger,
            new EnvSecretResolver(Map.of("SHOP_DB", db.url)::get),
            new PostgresLogicalSnapshotter(
                new FailingStore(new DirectoryBackupStore(store), failUploadAt),
                new SameServerScratchDatabases(clock),
                clock),
            new PostgresInspector(),
            JdbcBackupCatalog.migrateAndOpen(TestPostgres.freshDatabase()),
            new Notifier() {
              @Override
              public void notify(Deployment d, String message) {
                alerts.add("unexpected deployment notice: " + message);
              }

              @Override
              public void alert(String app, String environment, String subject, String message) {
                alerts.add(message);
              }
            },
            clock);
  }

  private Path file(BackupReport backup, String suffix) throws IOException {
    try (var files = Files.list(store.resolve("shop/staging/" + backup.backup().id()))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .findFirst()
          .orElseThrow();
    }
  }

  private VerificationReport verifyFails(String expectedReason) throws Exception {
    VerificationReport report = service.verify("shop", "staging");
    assertFalse(report.passed(), report.summary());
    assertTrue(report.reason().contains(expectedReason), report.reason());
    assertEquals(List.of(), ShopDatabase.scratchDatabases(), "scratch databases left behind");
    assertTrue(alerts.stream().anyMatch(a -> a.contains(expectedReason)), alerts.toString());
    return report;
  }

  @Test
  void verify_shouldPassEveryCheck_whenBackupIsIntact() throws Exception {
    // GIVEN a backup of the database
    BackupReport backup = service.backup("shop", "staging");
    clock.advance(Duration.ofMinutes(5));

    // WHEN verified
    VerificationReport report = service.verify("shop", "staging");

    // THEN it passed, the queries ran on the restored data, and no scratch database is left
    assertTrue(report.passed(), report.summary());
    assertEquals(backup.backup().id(), report.backupId());
    assertEquals(7, report.checks().size(), report.checks().toString());
    assertEquals(
        "'select count(*) from products where sku = 'SEED-1'' answered 1, expected = 1",
        report.checks().get(6).detail());
    assertEquals(Duration.ofMinutes(5), report.newestVerifiedAge());
    assertEquals(List.of(), ShopDatabase.scratchDatabases());
    assertEquals(List.of(), alerts);
    assertTrue(service.status("shop", "staging").withinRpo());
  }

  @Test
  void verify_shouldFailNamingTheFile_whenATableFileIsCorrupted() throws Exception {
    // GIVEN a backup whose orders file has one byte flipped in the middle
    BackupReport backup = service.backup("shop", "staging");
    Path orders = file(backup, "-public.orders.copy.gz");
    try (RandomAccessFile f = new RandomAccessFile(orders.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x5a);
    }

    // WHEN verified THEN it fails naming the table and the file
    verifyFails("table public.orders: file 002-public.orders.copy.gz is corrupted");
  }

  @Test
  void verify_shouldFailNamingTheFile_whenATableFileIsTruncated() throws Exception {
    // GIVEN a backup whose customers file lost its second half
    BackupReport backup = service.backup("shop", "staging");
    Path customers = file(backup, "-public.customers.copy.gz");
    try (RandomAccessFile f = new RandomAccessFile(customers.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }

    // WHEN verified THEN it fails naming the table and the file
    verifyFails("table public.customers: file 000-public.customers.copy.gz is truncated");
  }

  @Test
  void verify_shouldFailNamingTheTable_whenItsFileIsMissing() throws Exception {
    // GIVEN a backup whose audit.events file was deleted
    BackupReport backup = service.backup("shop", "staging");
    Files.delete(file(backup, "-audit.events.copy.gz"));

    // WHEN verified THEN it fails naming the table
    verifyFails("table audit.events: file 003-audit.events.copy.gz is missing from the backup");
  }

  @Test
  void verify_shouldFailNamingTheTable_whenTheRebuiltSchemaLacksIt() throws Exception {
    // GIVEN a backup, then the release's V2 rewritten without the audit.events table
    service.backup("shop", "staging");
    Files.writeString(
        db.migrations.resolve("V2__audit.sql"),
        "alter table customers add column country char(2);\n"
            + "insert into products (sku, price) values ('SEED-1', 1.00);\n"
            + "create schema audit; create sequence audit.unused_seq;\n");

    // WHEN verified THEN it fails naming the missing table
    verifyFails(
        "table audit.events: in the backup, but the schema the migrations build at version 2 has"
            + " no such table");
  }

  @Test
  void verify_shouldFailNamingTheSchemaVersion_whenMigrationsNoLongerReachIt() throws Exception {
    // GIVEN a backup at schema version 2, then the release lost its V2 migration
    service.backup("shop", "staging");
    Files.delete(db.migrations.resolve("V2__audit.sql"));

    // WHEN verified THEN it fails naming the schema version
    verifyFails("schema version 2: cannot rebuild it with the migrations at");
  }

  @Test
  void verify_shouldFail_whenTheManifestWasAltered() throws Exception {
    // GIVEN a backup whose manifest was edited to claim other row counts
    BackupReport backup = service.backup("shop", "staging");
    Path manifest = file(backup, "manifest.json");
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"rows\" : 100,", "\"rows\" : 99,"));

    // WHEN verified THEN the altered manifest is named, before anything is restored
    verifyFails("manifest: the manifest of backup " + backup.backup().id() + " changed");
  }

  /** Backup A, then more orders, then backup B six hours later: their files differ. */
  private BackupReport[] twoBackups() throws Exception {
    BackupReport a = service.backup("shop", "staging");
    assertTrue(service.verify("shop", "staging").passed());
    db.execute(
        "insert into orders (customer_id, quantity, placed_at)"
            + " select 13, g, '2026-02-01T00:00:00Z' from generate_series(1, 50) g");
    clock.advance(Duration.ofHours(6));
    BackupReport b = service.backup("shop", "staging");
    alerts.clear();
    return new BackupReport[] {a, b};
  }

  private Path dirOf(BackupReport backup) {
    return store.resolve("shop/staging/" + backup.backup().id());
  }

  /** Replaces what {@code to} holds with copies of the files in {@code from} that match. */
  private static void copyFiles(Path from, Path to, String suffix, boolean clearFirst)
      throws IOException {
    if (clearFirst) {
      try (var files = Files.list(to)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
    }
    try (var files = Files.list(from)) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().endsWith(suffix)) {
          Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Test
  void verify_shouldSayTheDirectoriesWereSwapped_whenTwoBackupsTradedPlaces() throws Exception {
    // GIVEN backups A and B whose directories were swapped
    BackupReport[] ab = twoBackups();
    String a = ab[0].backup().id();
    String b = ab[1].backup().id();
    Path temp = store.resolve("shop/staging/.swap");
    Files.move(dirOf(ab[0]), temp);
    Files.move(dirOf(ab[1]), dirOf(ab[0]));
    Files.move(temp, dirOf(ab[1]));

    // WHEN the newest, B, is verified THEN the reason says B's directory holds A, and why
    VerificationReport report =
        verifyFails(
            "the store's directory of backup %s holds backup %s (its manifest names %s, taken at %s)"
                .formatted(b, a, a, ab[0].backup().takenAt()));
    assertTrue(
        report
            .reason()
            .contains("backup %s's own manifest is in the directory of %s".formatted(b, a)),
        report.reason());
    assertTrue(report.reason().contains("swapped"), report.reason());
  }

  @Test
  void verify_shouldSayAnOlderBackupWasCopiedOver_whenItReplacedANewerOne() throws Exception {
    // GIVEN backup A's files, manifest and all, copied over backup B's
    BackupReport[] ab = twoBackups();
    copyFiles(dirOf(ab[0]), dirOf(ab[1]), "", true);

    // WHEN B is verified THEN the reason says an older backup was copied over it
    verifyFails(
        ("the store's directory of backup %s holds backup %s (its manifest names %s, taken at %s):"
                + " an older backup was copied over it")
            .formatted(
                ab[1].backup().id(),
                ab[0].backup().id(),
                ab[0].backup().id(),
                ab[0].backup().takenAt()));
  }

  @Test
  void verify_shouldNameTheBackupAFileBelongsTo_whenAnotherBackupsTableFilesWereCopiedIn()
      throws Exception {
    // GIVEN backup A's table files (not its manifest) copied into backup B's directory
    BackupReport[] ab = twoBackups();
    copyFiles(dirOf(ab[0]), dirOf(ab[1]), ".copy.gz", false);

    // WHEN B is verified THEN the reason says whose file the orders file is
    verifyFails(
        "table public.orders: file 002-public.orders.copy.gz is the file of backup %s, not of %s"
            .formatted(ab[0].backup().id(), ab[1].backup().id()));
  }

  @Test
  void backup_shouldNeverBecomeNewest_whenTheWriterDiesMidway() throws Exception {
    // GIVEN a good, verified backup
    BackupReport good = service.backup("shop", "staging");
    assertTrue(service.verify("shop", "staging").passed());
    clock.advance(Duration.ofHours(6));

    // WHEN the next backup's third file dies halfway (the disk filled up)
    failUploadAt.set(3);
    BackupException e =
        assertThrows(BackupException.class, () -> service.backup("shop", "staging"));

    // THEN the good backup is still the newest, nothing of the interrupted one is listed,
    // and verification restores the good one
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    assertEquals(good.backup().id(), service.status("shop", "staging").newestBackup().id());
    assertEquals(
        List.of(good.backup().id()),
        new DirectoryBackupStore(store)
            .list("shop/staging/").stream().map(x -> x.key().split("/")[2]).distinct().toList());
    VerificationReport report = service.verify("shop", "staging");
    assertTrue(report.passed(), report.summary());
    assertEquals(good.backup().id(), report.backupId());
  }

  @Test
  void backup_shouldNeverBecomeNewest_whenTheProcessWasKilledBeforeTheManifest() throws Exception {
    // GIVEN a good backup, and the leftovers of a newer one whose process was killed: every
    // table file written, one half-written temporary file, no manifest
    BackupReport good = service.backup("shop", "staging");
    Path goodDir = store.resolve("shop/staging/" + good.backup().id());
    Path killed = Files.createDirectories(store.resolve("shop/staging/29990101T000000Z-dead"));
    try (var files = Files.list(goodDir)) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().endsWith(".copy.gz")) {
          Files.copy(p, killed.resolve(p.getFileName()));
        }
      }
    }
    Files.writeString(killed.resolve(".manifest.json.1234.partial"), "{\"format\":");

    // WHEN verified THEN the good backup is restored: the leftovers are not a backup
    VerificationReport report = service.verify("shop", "staging");
    assertTrue(report.passed(), report.summary());
    assertEquals(good.backup().id(), report.backupId());
    assertEquals(good.backup().id(), service.status("shop", "staging").newestBackup().id());
  }

  @Test
  void backup_shouldRemoveTheLeftoversOfAKilledBackup_whenTheyAreDaysOld() throws Exception {
    // GIVEN what a backup killed three days ago left: a table file, a half-written manifest
    // (its temporary file, an hour and more old), no manifest; and one killed a minute ago
    Path old = Files.createDirectories(store.resolve("shop/staging/20000101T000000Z-dead"));
    Files.writeString(old.resolve("000-public.orders.copy.gz"), "half a table");
    Path partial = old.resolve(".manifest.json.1234.partial");
    Files.writeString(partial, "{\"format\":");
    Files.setLastModifiedTime(partial, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
    String recentId =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now().minusSeconds(60))
            + "-busy";
    Path recent = Files.createDirectories(store.resolve("shop/staging/" + recentId));
    Files.writeString(recent.resolve("000-public.orders.copy.gz"), "being written");

    // WHEN the next backup runs (retention runs after it)
    BackupReport report = service.backup("shop", "staging");

    // THEN the old leftovers are gone, directory and all; the recent ones, maybe still being
    // written by another run, stay; the new backup is whole
    assertFalse(Files.exists(old), "leftovers of the killed backup remain");
    assertTrue(Files.exists(recent.resolve("000-public.orders.copy.gz")));
    assertTrue(
        Files.exists(store.resolve("shop/staging/" + report.backup().id() + "/manifest.json")));
  }

  /**
   * A store whose upload dies halfway through its data when the countdown {@code failAt} hits 0.
   */
  private static final class FailingStore implements BackupStore {
    private final BackupStore delegate;
    private final AtomicInteger failAt;

    FailingStore(BackupStore delegate, AtomicInteger failAt) {
      this.delegate = delegate;
      this.failAt = failAt;
    }

    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public Upload upload(String key) throws IOException {
      Upload real = delegate.upload(key);
      if (failAt.decrementAndGet() != 0) {
        return real;
      }
      OutputStream dying =
          new OutputStream() {
            private long written;

            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              if (written + len > 20) {
                throw new IOException("disk full");
              }
              real.stream().write(b, off, len);
              written += len;
            }
          };
      return new Upload() {
        @Override
        public OutputStream stream() {
          return dying;
        }

        @Override
        public void commit() throws IOException {
          real.commit();
        }

        @Override
        public void close() throws IOException {
          real.close();
        }
      };
    }

    @Override
    public InputStream get(String key) throws IOException {
      return delegate.get(key);
    }

    @Override
    public List<Entry> list(String prefix) throws IOException {
      return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
      delegate.delete(key);
    }
  }
}
