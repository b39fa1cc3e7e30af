package dev.rollgate.core.manifest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An environment's database backups and their restore tests, with the defaults written here.
 *
 * @param database reference to the secret holding the JDBC URL of the database to back up (default:
 *     {@code migrations.flyway.database})
 * @param schedule time between backups ({@code every 6h}; default every 24h)
 * @param verifySchedule time between restore tests of the newest backup (default: {@code schedule})
 * @param retention how many of the newest backups to keep (default 7); the newest verified backup
 *     is kept as well
 * @param rpo the recovery point objective: how old the newest verified backup may get before
 *     rollgate alerts (required)
 * @param verify queries a restored database must answer as expected, in order
 */
public record BackupSpec(
    SecretRef database,
    Duration schedule,
    Duration verifySchedule,
    int retention,
    Duration rpo,
    List<VerifyQuery> verify) {

  public static final Duration DEFAULT_SCHEDULE = Duration.ofHours(24);
  public static final int DEFAULT_RETENTION = 7;

  public BackupSpec {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(verifySchedule, "verifySchedule");
    Objects.requireNonNull(rpo, "rpo");
    verify = List.copyOf(verify);
  }

  /**
   * A verification query and the answer it must give, e.g. {@code select count(*) from orders}
   * {@code > 0}.
   */
  public record VerifyQuery(String sql, Expectation expect) {}

  /**
   * A comparison of a query's single numeric answer with a number: {@code = 5}, {@code != 0},
   * {@code > 0}, {@code >= 1}, {@code < 10}, {@code <= 10}.
   */
  public record Expectation(String operator, BigDecimal value) {

    private static final Pattern SYNTAX =
        Pattern.compile("\\s*(=|==|!=|<>|>=|<=|>|<)?\\s*([-+]?\\d+(?:\\.\\d+)?)\\s*");

    /** Parses {@code "> 0"}, {@code "= 5"}, or a bare number (meaning {@code =}); null if not. */
    public static Expectation parse(String text) {
      Matcher m = SYNTAX.matcher(text == null ? "" : text);
      if (!m.matches()) {
        return null;
      }
      String op = m.group(1) == null ? "=" : m.group(1);
      op =
          switch (op) {
            case "==" -> "=";
            case "<>" -> "!=";
            default -> op;
          };
      return new Expectation(op, new BigDecimal(m.group(2)));
    }

    /** True when {@code actual} satisfies the comparison. */
    public boolean test(BigDecimal actual) {
      int c = actual.compareTo(value);
      return switch (operator) {
        case "=" -> c == 0;
        case "!=" -> c != 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        default -> throw new IllegalStateException("unknown operator " + operator);
      };
    }

    @Override
    public String toString() {
      return operator + " " + value.toPlainString();
    }
  }
}
