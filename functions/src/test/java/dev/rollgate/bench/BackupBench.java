package dev.rollgate.bench;

import dev.rollgate.backup.DirectoryBackupStore;
import dev.rollgate.backup.PostgresInspector;
import dev.rollgate.backup.PostgresLogicalSnapshotter;
import dev.rollgate.backup.SameServerScratchDatabases;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.DatabaseInspector;
import dev.rollgate.core.port.Snapshotter.Request;
import dev.rollgate.core.port.Snapshotter.RestoredDatabase;
import dev.rollgate.core.port.Snapshotter.Scratch;
import dev.rollgate.testing.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * {@code scripts/bench backup}: generates a database of about {@code BENCH_BACKUP_MB} MB (default
 * 1024), then times rollgate's logical backup and restore next to {@code pg_dump -Fc} and {@code
 * pg_restore} of the same database on the same server. Runs against the embedded PostgreSQL, or the
 * server {@code BENCH_JDBC_URL} names (its {@code postgres} database, as a superuser); {@code
 * PG_BIN} is where pg_dump and pg_restore are.
 */
public final class BackupBench {

  private static final String SOURCE = "bench_src";
  private static final String PG_RESTORED = "bench_pg_restored";

  private static final String SCHEMA =
      """
      create table customers (
        id bigserial primary key,
        name text not null,
        email text not null,
        country char(2),
        created_at timestamptz not null
      );
      create table orders (
        id bigserial primary key,
        customer_id bigint not null references customers (id),
        placed_at timestamptz not null,
        total numeric(12, 2),
        status text not null,
        note text
      );
      create index orders_customer on orders (customer_id);
      create table documents (
        id bigserial primary key,
        order_id bigint not null references orders (id),
        body text not null,
        digest bytea not null
      );
      create index documents_order on documents (order_id);
      """;

  /** One chunk of rows: 20k customers, 200k orders, 100k documents (about 100 MB on disk). */
  private static final String CHUNK =
      """
      insert into customers (name, email, country, created_at)
        select 'customer ' || g, md5(g::text) || '@example.com',
               (array['DE','FR','US','JP','BR'])[1 + g %% 5],
               '2025-01-01'::timestamptz + g * interval '13 seconds'
        from generate_series(%1$d * 20000 + 1, (%1$d + 1) * 20000) g;
      insert into orders (customer_id, placed_at, total, status, note)
        select %1$d * 20000 + 1 + g %% 20000, '2025-01-01'::timestamptz + g * interval '1 second',
               (g %% 100000) / 100.0, (array['new','paid','shipped','returned'])[1 + g %% 4],
               case when g %% 3 = 0 then null else 'note ' || md5((g * 7)::text) end
        from generate_series(%1$d * 200000 + 1, (%1$d + 1) * 200000) g;
      insert into documents (order_id, body, digest)
        select %1$d * 200000 + 1 + (g %% 200000),
               md5(g::text) || ' ' || md5((g + 1)::text) || ' ' || md5((g + 2)::text) || ' '
                 || md5((g + 3)::text) || ' ' || md5((g + 4)::text) || ' ' || md5((g + 5)::text)
                 || ' ünïcødé ' || md5((g + 6)::text) || ' ' || md5((g + 7)::text),
               decode(md5(g::text) || md5((g * 31)::text), 'hex')
        from generate_series(%1$d * 100000 + 1, (%1$d + 1) * 100000) g;
      """;

  public static void main(String[] args) throws Exception {
    long targetMb = Long.parseLong(env("BENCH_BACKUP_MB", "1024"));
    Path work = Path.of(env("BENCH_DIR", "target/bench-backup")).toAbsolutePath();
    String pgBin = env("PG_BIN", "");
    String admin = env("BENCH_JDBC_URL", "");
    if (admin.isEmpty()) {
      admin = TestPostgres.jdbcUrl("postgres");
      System.out.println("backup bench: embedded PostgreSQL " + serverVersion(admin));
    } else {
      System.out.println(
          "backup bench: PostgreSQL " + serverVersion(admin) + " from BENCH_JDBC_URL");
    }
    clean(work);
    Files.createDirectories(work);
    String source = urlOf(admin, SOURCE);
    sql(admin, "drop database if exists " + SOURCE + " with (force)");
    sql(admin, "create database " + SOURCE);
    Path migrations = Files.createDirectories(work.resolve("migrations"));
    Files.writeString(migrations.resolve("V1__bench.sql"), SCHEMA);
    Flyway.configure()
        .dataSource(source, null, null)
        .locations("filesystem:" + migrations)
        .load()
        .migrate();
    long mb = generate(source, targetMb);

    PostgresLogicalSnapshotter snapshotter =
        new PostgresLogicalSnapshotter(
            new DirectoryBackupStore(work.resolve("store")),
            new SameServerScratchDatabases(Clock.system()),
            Clock.system());
    Request request =
        new Request("bench", "bench", source, "env:BENCH", List.of("filesystem:" + migrations));

    long t0 = System.nanoTime();
    Snapshot snapshot = snapshotter.take(request);
    double rollgateBackup = seconds(t0);
    System.out.printf(
        Locale.ROOT,
        "rollgate backup:  %6.1f s  %7.1f MB/s  (%d rows, %.0f MB stored, gzip level 1)%n",
        rollgateBackup,
        mb / rollgateBackup,
        snapshot.rows(),
        snapshot.bytes() / 1048576.0);

    Scratch scratch = new Scratch("rgv_" + System.currentTimeMillis() / 1000 + "_be0c", source);
    double rollgateRestore;
    try {
      t0 = System.nanoTime();
      RestoredDatabase restored = snapshotter.restore(snapshot, scratch);
      rollgateRestore = seconds(t0);
      System.out.printf(
          Locale.ROOT,
          "rollgate restore: %6.1f s  %7.1f MB/s  (migrate, COPY, sequences)%n",
          rollgateRestore,
          mb / rollgateRestore);
      t0 = System.nanoTime();
      DatabaseInspector.State state = new PostgresInspector().inspect(restored);
      System.out.printf(
          Locale.ROOT,
          "rollgate inspect: %6.1f s  (row counts and checksums of %d tables, not in the ratio)%n",
          seconds(t0),
          state.tables().size());
    } finally {
      snapshotter.drop(scratch);
    }

    String line;
    if (pgBin.isEmpty()) {
      System.out.println("pg_dump: not available (see the script's note above)");
      line =
          String.format(
              Locale.ROOT,
              "backup: rollgate=%.1f pg_dump=n/a ratio=n/a restore-ratio=n/a",
              mb / rollgateBackup);
    } else {
      Path dump = work.resolve("bench.dump");
      t0 = System.nanoTime();
      run(pgTool(pgBin, "pg_dump", admin, "-Fc", "-f", dump.toString(), SOURCE));
      double pgDump = seconds(t0);
      System.out.printf(
          Locale.ROOT,
          "pg_dump -Fc:      %6.1f s  %7.1f MB/s  (%.0f MB dump, default compression)%n",
          pgDump,
          mb / pgDump,
          Files.size(dump) / 1048576.0);
      sql(admin, "drop database if exists " + PG_RESTORED + " with (force)");
      sql(admin, "create database " + PG_RESTORED);
      t0 = System.nanoTime();
      run(pgTool(pgBin, "pg_restore", admin, "-d", PG_RESTORED, dump.toString()));
      double pgRestore = seconds(t0);
      System.out.printf(
          Locale.ROOT, "pg_restore:       %6.1f s  %7.1f MB/s%n", pgRestore, mb / pgRestore);
      sql(admin, "drop database if exists " + PG_RESTORED + " with (force)");
      line =
          String.format(
              Locale.ROOT,
              "backup: rollgate=%.1f pg_dump=%.1f ratio=%.2f restore-ratio=%.2f",
              mb / rollgateBackup,
              mb / pgDump,
              pgDump / rollgateBackup,
              pgRestore / rollgateRestore);
    }
    sql(admin, "drop database if exists " + SOURCE + " with (force)");
    clean(work);
    System.out.println(line);
    System.exit(0);
  }

  /** Inserts chunks until the database reaches the target size; returns its size in MB. */
  private static long generate(String url, long targetMb) throws SQLException {
    System.out.printf("backup bench: generating about %d MB ...%n", targetMb);
    long t0 = System.nanoTime();
    long mb = 0;
    for (int chunk = 0; mb < targetMb; chunk++) {
      sql(url, CHUNK.formatted(chunk));
      mb = sizeMb(url);
    }
    sql(url, "vacuum analyze");
    sql(url, "checkpoint");
    // Read every table once, so that no tool pays for a cold cache the other does not.
    sql(
        url,
        "select count(*) from customers; select count(*) from orders;"
            + " select count(*) from documents");
    mb = sizeMb(url);
    System.out.printf(
        Locale.ROOT, "backup bench: database is %d MB (generated in %.0f s)%n", mb, seconds(t0));
    return mb;
  }

  private static long sizeMb(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select pg_database_size(current_database())")) {
      rs.next();
      return rs.getLong(1) >> 20;
    }
  }

  private static String serverVersion(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void sql(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** pg_dump / pg_restore with the host, port and user of a {@code jdbc:postgresql://} URL. */
  private static List<String> pgTool(String bin, String tool, String adminUrl, String... args) {
    URI uri = URI.create(adminUrl.substring("jdbc:".length()));
    String user = "postgres";
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    for (String kv : query.split("&")) {
      if (kv.startsWith("user=")) {
        user = kv.substring(5);
      }
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(bin, tool).toString());
    cmd.addAll(List.of("-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "-U", user));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed with " + p.exitValue());
    }
  }

  private static String urlOf(String adminUrl, String database) {
    return adminUrl.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  private static void clean(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }
}
