package dev.rollgate.assembly;

import com.zaxxer.hikari.HikariDataSource;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.ledger.PooledDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code rollgate.ledger-url}: a JDBC URL, or a reference to a secret holding one (any scheme an
 * extension registered, e.g. {@code aws-sm:NAME#key}, and {@code env:} / {@code file:}), so that
 * the URL's password need not sit in a function's settings or in a snapshot. Its value is never
 * repeated in a message: a mistyped URL may hold a password.
 */
final class LedgerUrls {

  private LedgerUrls() {}

  /** The JDBC URL that {@code value} is or refers to. */
  static String resolve(String value, SecretResolver secrets) {
    if (value == null) {
      throw new IllegalStateException(
          "no ledger: set rollgate.ledger-url (ROLLGATE_LEDGER_URL) to a PostgreSQL JDBC URL"
              + " (jdbc:postgresql://host/db?user=...&password=...) or to a secret reference"
              + " holding one ("
              + schemes(secrets)
              + ")");
    }
    if (value.startsWith("jdbc:")) {
      return value;
    }
    SecretRef ref = SecretRef.parse(value);
    // A URL of another kind (postgresql://user:password@host/db) is no reference, even should its
    // scheme be registered; a reference's name may itself be a URL (azure-kv:https://...).
    if (ref == null || !secrets.schemes().contains(ref.scheme()) || ref.name().startsWith("//")) {
      throw new IllegalStateException(
          "rollgate.ledger-url (ROLLGATE_LEDGER_URL) is neither a JDBC URL"
              + " (jdbc:postgresql://host/db?user=...&password=...) nor a secret reference holding"
              + " one ("
              + schemes(secrets)
              + "); its value is not repeated here, as it may hold a password");
    }
    String url =
        secrets
            .resolve(ref)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "rollgate.ledger-url: secret "
                            + ref
                            + " is not set or not readable: store the ledger's JDBC URL in it, or"
                            + " set rollgate.ledger-url to the JDBC URL itself"));
    if (!url.startsWith("jdbc:")) {
      throw new IllegalStateException(
          "rollgate.ledger-url: secret "
              + ref
              + " does not hold a JDBC URL (jdbc:postgresql://...)");
    }
    return url;
  }

  /** A small pool over the ledger's PostgreSQL; opens no connection until first used. */
  static HikariDataSource pooled(String url, int size) {
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setUrl(url);
    return PooledDataSource.of(pg, size, "rollgate-ledger");
  }

  private static String schemes(SecretResolver secrets) {
    return String.join(", ", secrets.schemes().stream().sorted().map(s -> s + ":NAME").toList());
  }
}
