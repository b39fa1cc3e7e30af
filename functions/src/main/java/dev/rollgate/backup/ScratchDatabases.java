package dev.rollgate.backup;

import java.sql.SQLException;

/**
 * Creates and drops the scratch databases restore tests use. The default puts them on the app's own
 * server ({@link SameServerScratchDatabases}); a host may put them elsewhere.
 */
public interface ScratchDatabases {

  /**
   * Creates the empty database {@code name}; returns its JDBC URL.
   *
   * @param serverUrl the JDBC URL of the app's database (a secret)
   */
  String create(String name, String serverUrl) throws SQLException;

  /** Drops the database {@code name}, closing its connections; does nothing when it is absent. */
  void drop(String name, String serverUrl) throws SQLException;
}
