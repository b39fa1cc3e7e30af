package dev.rollgate.ledger;

import java.sql.SQLException;

/** A ledger operation failed in the database; the message names the operation and what to do. */
public class LedgerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;

  public LedgerException(String message) {
    super(message);
    this.sqlState = null;
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause);
    this.sqlState = cause instanceof SQLException e ? e.getSQLState() : null;
  }

  /** Wraps a database error in {@code operation}, keeping its SQL state for callers that care. */
  static LedgerException of(String operation, SQLException e) {
    return new LedgerException(
        "ledger "
            + operation
            + " failed: "
            + e.getMessage()
            + " (SQL state "
            + e.getSQLState()
            + "); check that the database is reachable and that the ledger schema was migrated"
            + " (JdbcLedger.migrateAndOpen)",
        e);
  }

  /** The SQL state of the database error, or null when the ledger itself refused. */
  public String sqlState() {
    return sqlState;
  }
}
