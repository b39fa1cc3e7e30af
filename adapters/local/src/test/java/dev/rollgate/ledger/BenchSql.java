package dev.rollgate.ledger;

import java.util.Map;

/** The ledger's DORA statements, for the status benchmark's EXPLAIN output. */
public final class BenchSql {

  private BenchSql() {}

  /** Name to SQL; each takes the parameters {@link DoraQuery#figures} binds, in its order. */
  public static Map<String, String> dora() {
    return Map.of("deployments", DoraQuery.DEPLOYMENTS, "incidents", DoraQuery.INCIDENTS);
  }
}
