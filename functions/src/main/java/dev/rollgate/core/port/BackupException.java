package dev.rollgate.core.port;

/**
 * A backup, restore or inspection could not be done; the message names the backup, the table or
 * file, and what to do. Never carries a database URL or password.
 */
public class BackupException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
