package dev.rollgate.backup;

import dev.rollgate.core.port.Clock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scratch databases on the server of the app's database, created with the app database's encoding
 * by the same user (who needs CREATEDB). Also drops scratch databases a killed restore test left
 * behind ({@code rgv_<epoch seconds>_<hex>}, older than {@code leftoverAge}).
 */
public final class SameServerScratchDatabases implements ScratchDatabases {

  private static final Logger LOG = Logger.getLogger(SameServerScratchDatabases.class.getName());
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern SCRATCH = Pattern.compile("rgv_(\\d+)_[0-9a-f]+");
  private static final Pattern WITH_HOST =
      Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(.*)$");
  private static final Pattern WITHOUT_HOST =
      Pattern.compile("^(jdbc:postgresql:)([^/?][^?]*)(.*)$");

  private final Clock clock;
  private final Duration leftoverAge;

  /** Drops leftovers older than six hours. */
  public SameServerScratchDatabases(Clock clock) {
    this(clock, Duration.ofHours(6));
  }

  public SameServerScratchDatabases(Clock clock, Duration leftoverAge) {
    this.clock = clock;
    this.leftoverAge = leftoverAge;
  }

  @Override
  public String create(String name, String serverUrl) throws SQLException {
    check(name);
    try (Connection c = DriverManager.getConnection(serverUrl)) {
      dropLeftovers(c);
      String encoding;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select pg_encoding_to_char(encoding) from pg_database"
                      + " where datname = current_database()")) {
        rs.next();
        encoding = rs.getString(1);
      }
      try (Statement s = c.createStatement()) {
        s.execute(
            "create database %s template template0 encoding '%s'"
                .formatted(PgSession.ident(name), encoding.replace("'", "")));
      }
    }
    return urlOf(serverUrl, name);
  }

  @Override
  public void drop(String name, String serverUrl) throws SQLException {
    check(name);
    try (Connection c = DriverManager.getConnection(serverUrl);
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + PgSession.ident(name) + " with (force)");
    }
  }

  /** {@code serverUrl} with its database replaced by {@code database}. */
  static String urlOf(String serverUrl, String database) throws SQLException {
    for (Pattern p : List.of(WITH_HOST, WITHOUT_HOST)) {
      Matcher m = p.matcher(serverUrl);
      if (m.matches() && !m.group(2).isEmpty()) {
        return m.group(1) + database + m.group(3);
      }
    }
    throw new SQLException(
        "the database URL names no database (expected jdbc:postgresql://host:port/database?...)");
  }

  private void dropLeftovers(Connection c) throws SQLException {
    long cutoff = clock.now().minus(leftoverAge).getEpochSecond();
    List<String> leftovers = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("select datname from pg_database where datname like 'rgv\\_%'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Matcher m = SCRATCH.matcher(rs.getString(1));
        if (m.matches() && Long.parseLong(m.group(1)) < cutoff) {
          leftovers.add(rs.getString(1));
        }
      }
    }
    for (String name : leftovers) {
      LOG.warning("dropping scratch database " + name + " left behind by a killed restore test");
      try (Statement s = c.createStatement()) {
        s.execute("drop database if exists " + PgSession.ident(name) + " with (force)");
      }
    }
  }

  private static void check(String name) throws SQLException {
    if (!NAME.matcher(name).matches()) {
      throw new SQLException(
          "not a scratch database name (lower-case letters, digits, '_'): '" + name + "'");
    }
  }
}
