package dev.rollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs units of work on a fresh connection each, so that nothing is held between invocations. */
final class Jdbc {

  /** One unit of work on a connection. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Sets a statement's parameters. */
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Runs a bound statement and reads its outcome. */
  interface Reader<T> {
    T read(PreparedStatement ps) throws SQLException;
  }

  private final DataSource dataSource;

  Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Runs {@code work} in one transaction: commits when it returns, rolls back when it throws. */
  <T> T inTransaction(String operation, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw LedgerException.of(operation, e);
    }
  }

  /** Runs a single-statement read in autocommit mode. */
  <T> T read(String operation, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw LedgerException.of(operation, e);
    }
  }

  /** Runs one statement in autocommit mode. */
  <T> T statement(String operation, String sql, Binder binder, Reader<T> reader) {
    return read(
        operation,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return reader.read(ps);
          }
        });
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // The original failure is what a person needs; the failed rollback rides along with it.
      cause.addSuppressed(e);
    }
  }
}
