package dev.rollgate.backup;

import dev.rollgate.core.port.BackupException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connections for backups, restores and inspections, all with the same session settings, so that
 * COPY renders a value as the same text in the backup and in the restored database.
 */
final class PgSession {

  private static final Pattern AUTHORITY = Pattern.compile("^jdbc:postgresql://([^/?]+)");

  private static final String SETTINGS =
      "set datestyle = 'ISO, YMD'; set intervalstyle = 'postgres'; set timezone = 'UTC';"
          + " set extra_float_digits = 1; set bytea_output = 'hex'; set client_encoding = 'UTF8';"
          + " set statement_timeout = 0";

  private PgSession() {}

  /** Opens a connection with the session settings applied; never puts the URL in a message. */
  static Connection open(String url, String purpose) throws BackupException {
    Connection c;
    try {
      c = DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new BackupException(
          "%s: cannot connect to the database: %s".formatted(purpose, message(e, url)));
    }
    try (Statement s = c.createStatement()) {
      s.execute(SETTINGS);
      return c;
    } catch (SQLException e) {
      close(c);
      throw new BackupException("%s: %s".formatted(purpose, message(e, url)));
    }
  }

  static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Closing after a failure: the failure is what a person needs.
    }
  }

  /** {@code "schema"."table"}, quoted for SQL. */
  static String qualified(String schema, String name) {
    return ident(schema) + "." + ident(name);
  }

  static String ident(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** The database's words, without the URL, its host or a password. */
  static String message(Exception e, String url) {
    String text = String.valueOf(e.getMessage());
    if (e instanceof SQLException sql && sql.getSQLState() != null) {
      text += " (SQL state " + sql.getSQLState() + ")";
    }
    return redact(text, url);
  }

  static String redact(String text, String url) {
    String out = url == null ? text : text.replace(url, "<database url>");
    if (url != null) {
      Matcher m = AUTHORITY.matcher(url);
      if (m.find()) {
        String authority = m.group(1).replaceFirst("^[^@]*@", "");
        out = out.replace(authority, "<database host>");
      }
    }
    return out.replaceAll("(?i)(password=)[^;&\\s)]*", "$1***").replaceAll("\\s+", " ").trim();
  }
}
