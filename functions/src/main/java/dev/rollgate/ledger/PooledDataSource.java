package dev.rollgate.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * A small connection pool in front of a DataSource: a ledger write costs one round trip instead of
 * a new connection (TCP, authentication, backend start) each time.
 */
public final class PooledDataSource {

  private PooledDataSource() {}

  /**
   * Pools {@code target} with at most {@code maxSize} connections; idle connections are closed
   * after a minute, so a frozen or idle function holds few.
   */
  public static HikariDataSource of(DataSource target, int maxSize, String name) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(target);
    config.setPoolName(name);
    config.setMaximumPoolSize(maxSize);
    config.setMinimumIdle(0);
    config.setIdleTimeout(60_000);
    config.setConnectionTimeout(10_000);
    // Fail on first use, not at construction: a cold start must not wait for the database.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }
}
