package dev.rollgate.ledger;

import dev.rollgate.core.port.NotificationOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The {@link NotificationOutbox} in the ledger's database (tables of migration V7): workers claim
 * due rows with {@code FOR UPDATE SKIP LOCKED}, so that two never send the same row at once.
 */
public final class JdbcNotificationOutbox implements NotificationOutbox {

  private static final String INSERT =
      "insert into notification_outbox (key, channel, event, app, environment, body, created_at,"
          + " due_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing";
  private static final String COLUMNS =
      "id, key, channel, event, app, environment, body, attempts, due_at";

  private final Jdbc jdbc;

  public JdbcNotificationOutbox(DataSource dataSource) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
  }

  @Override
  public long cursor() {
    return jdbc.statement(
        "notification cursor",
        "select seq from notification_cursor where id = 1",
        ps -> {},
        ps -> {
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  @Override
  public boolean enqueue(List<Message> messages, long expected, long to) {
    return jdbc.inTransaction(
        "enqueue notifications up to transition " + to,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update notification_cursor set seq = ? where id = 1 and seq = ?")) {
            ps.setLong(1, to);
            ps.setLong(2, expected);
            if (ps.executeUpdate() == 0) {
              c.rollback();
              return false;
            }
          }
          insert(c, messages);
          return true;
        });
  }

  @Override
  public void enqueue(List<Message> messages) {
    jdbc.inTransaction(
        "enqueue notifications",
        c -> {
          insert(c, messages);
          return null;
        });
  }

  private static void insert(Connection c, List<Message> messages) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Message m : messages) {
        ps.setString(1, m.key());
        ps.setString(2, m.channel());
        ps.setString(3, m.event());
        ps.setString(4, m.app());
        ps.setString(5, m.environment());
        ps.setString(6, m.body());
        Rows.setInstant(ps, 7, m.dueAt());
        Rows.setInstant(ps, 8, m.dueAt());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public List<Message> claim(Instant now, Instant until, int limit) {
    LedgerRules.checkLimit(limit, "claim");
    return jdbc.statement(
        "claim notifications",
        "update notification_outbox o set claimed_until = ?, attempts = o.attempts + 1"
            + " where o.id in (select id from notification_outbox"
            + " where delivered_at is null and gave_up_at is null and due_at <= ?"
            + " and (claimed_until is null or claimed_until <= ?)"
            + " order by due_at, id limit ? for update skip locked)"
            + " returning "
            + COLUMNS,
        ps -> {
          Rows.setInstant(ps, 1, until);
          Rows.setInstant(ps, 2, now);
          Rows.setInstant(ps, 3, now);
          ps.setInt(4, limit);
        },
        JdbcNotificationOutbox::messages);
  }

  @Override
  public void delivered(long id, Instant at) {
    update(
        "delivered",
        "update notification_outbox set delivered_at = ?, claimed_until = null, last_error = null"
            + " where id = ?",
        id,
        at,
        null);
  }

  @Override
  public void retry(long id, Instant due, String error) {
    update(
        "retry",
        "update notification_outbox set due_at = ?, claimed_until = null, last_error = ?"
            + " where id = ?",
        id,
        due,
        error);
  }

  @Override
  public void giveUp(long id, Instant at, String error) {
    update(
        "give up",
        "update notification_outbox set gave_up_at = ?, claimed_until = null, last_error = ?"
            + " where id = ?",
        id,
        at,
        error);
  }

  private void update(String what, String sql, long id, Instant at, String error) {
    jdbc.statement(
        what + " notification " + id,
        sql,
        ps -> {
          Rows.setInstant(ps, 1, at);
          if (sql.contains("last_error = ?")) {
            ps.setString(2, error);
            ps.setLong(3, id);
          } else {
            ps.setLong(2, id);
          }
        },
        PreparedStatement::executeUpdate);
  }

  @Override
  public List<Message> undelivered(int limit) {
    LedgerRules.checkLimit(limit, "undelivered");
    return jdbc.statement(
        "undelivered notifications",
        "select "
            + COLUMNS
            + " from notification_outbox where delivered_at is null and gave_up_at is null"
            + " order by id limit ?",
        ps -> ps.setInt(1, limit),
        JdbcNotificationOutbox::messages);
  }

  private static List<Message> messages(PreparedStatement ps) throws SQLException {
    List<Message> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Message(
                rs.getLong("id"),
                rs.getString("key"),
                rs.getString("channel"),
                rs.getString("event"),
                rs.getString("app"),
                rs.getString("environment"),
                rs.getString("body"),
                rs.getInt("attempts"),
                rs.getTimestamp("due_at").toInstant()));
      }
    }
    return out;
  }
}
