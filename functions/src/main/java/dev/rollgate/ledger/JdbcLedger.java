package dev.rollgate.ledger;

import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.DoraFigures;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The {@link Ledger} on PostgreSQL: one connection per call, no pool, the schema managed by Flyway
 * in its own history table, the single active slot per app+environment held by a unique index.
 *
 * <p>"Newest" means the most recently pushed image (then the latest recorded), as in {@link
 * #claimNext}. A deployment's id, app and environment never change after it was recorded. A
 * deployment holding the slot is in flight only while its lease is free or expired, even while it
 * is still PENDING.
 */
public final class JdbcLedger implements Ledger {

  /** Where the ledger's migrations live. */
  public static final String LOCATION = "classpath:db/rollgate";

  /**
   * The ledger's own Flyway history, apart from any application's {@code flyway_schema_history}.
   */
  public static final String HISTORY_TABLE = "rollgate_schema_history";

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String SELECT = "select " + Rows.DEPLOYMENT_COLUMNS + " from deployments";
  private static final String BAD_PHASES =
      Stream.of(Phase.values())
          .filter(Phase::marksBad)
          .map(p -> "'" + p.name() + "'")
          .collect(Collectors.joining(", "));

  private final DataSource dataSource;
  private final Jdbc jdbc;
  private final ClaimNext claimNext;

  /** Opens a ledger on a database whose schema is already migrated; see {@link #migrate()}. */
  // What status has verified of the chain so far (a full walk first, then what changed).
  private final ChainWatch watch = new ChainWatch();

  public JdbcLedger(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.jdbc = new Jdbc(dataSource);
    this.claimNext = new ClaimNext(jdbc);
  }

  /** Brings the ledger's schema up to date, then opens the ledger. */
  public static JdbcLedger migrateAndOpen(DataSource dataSource) {
    return new JdbcLedger(dataSource).migrate();
  }

  /**
   * Applies the ledger's migrations. Baselines at version 0 in a database that already holds other
   * tables, so that the ledger can share an application's database and schema.
   */
  public JdbcLedger migrate() {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(LOCATION)
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
      return this;
    } catch (RuntimeException e) {
      throw new LedgerException(
          "ledger migrate failed: could not apply "
              + LOCATION
              + " ("
              + e.getMessage()
              + "); migrations run as the role that owns the ledger's tables, not as the"
              + " least-privilege role of db/rollgate-roles.sql",
          e);
    }
  }

  @Override
  public Optional<List<Deployment>> record(
      List<String> eventKeys, String source, Instant receivedAt, List<Deployment> deployments) {
    LedgerRules.checkKeys(eventKeys);
    return jdbc.inTransaction(
        "record(event " + eventKeys + ")",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into received_events (key, source, received_at) values (?, ?, ?)"
                      + " on conflict (key) do nothing")) {
            for (String eventKey : eventKeys) {
              ps.setString(1, eventKey);
              ps.setString(2, source);
              Rows.setInstant(ps, 3, receivedAt);
              if (ps.executeUpdate() == 0) {
                // Seen before under one of its keys: keep none of the others either.
                c.rollback();
                return Optional.empty();
              }
            }
          }
          List<Deployment> stored = new ArrayList<>();
          for (Deployment d : deployments) {
            try (PreparedStatement ps =
                c.prepareStatement(d.isRelease() ? Rows.INSERT_RELEASE : Rows.INSERT_DEPLOYMENT)) {
              Rows.bindInsert(ps, d);
              Deployment row = Rows.deployments(ps).get(0);
              Rows.insertTransition(
                  c, row, null, row.createdAt(), d.requestedBy(), LedgerRules.recordedReason(d));
              stored.add(row);
            }
          }
          return Optional.of(List.copyOf(stored));
        });
  }

  @Override
  public Optional<Boolean> received(List<String> eventKeys) {
    LedgerRules.checkKeys(eventKeys);
    return Optional.of(
        jdbc.statement(
            "received(event " + eventKeys + ")",
            "select exists (select 1 from received_events where key in ("
                + String.join(", ", java.util.Collections.nCopies(eventKeys.size(), "?"))
                + "))",
            ps -> {
              for (int i = 0; i < eventKeys.size(); i++) {
                ps.setString(i + 1, eventKeys.get(i));
              }
            },
            ps -> {
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
              }
            }));
  }

  @Override
  public void recordCommitTime(List<String> deploymentIds, Instant committedAt) {
    if (deploymentIds.isEmpty() || committedAt == null) {
      return;
    }
    jdbc.inTransaction(
        "recordCommitTime",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update deployments set committed_at = ?"
                      + " where id = any (?) and committed_at is null")) {
            Rows.setInstant(ps, 1, committedAt);
            ps.setArray(2, c.createArrayOf("text", deploymentIds.toArray()));
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<Deployment> find(String id) {
    return jdbc.statement(
        "find(" + id + ")",
        SELECT + " where id = ?",
        ps -> ps.setString(1, id),
        ps -> Rows.deployments(ps).stream().findFirst());
  }

  /**
   * One round trip for the common case: update at the expected version, and log the transition when
   * the phase or a canary's milestone (state, step, share) changed, or the caller asks for a note
   * (a release's part), in one statement. The old phase comes from the statement's snapshot, which
   * is the stored version's whenever the version check passes.
   */
  private static final String SAVE = save(false);

  /** {@link #SAVE} of a release of several services: its parts too (V10). */
  private static final String SAVE_RELEASE = save(true);

  private static String save(boolean release) {
    return "with upd as (update deployments d set "
        + Rows.MUTABLE_ASSIGNMENTS
        + (release ? Rows.PARTS_ASSIGNMENT : "")
        + ", version = d.version + 1"
        + " from (select phase as old_phase, canary_state as old_canary_state,"
        + " canary_step as old_canary_step, canary_share as old_canary_share"
        + " from deployments where id = ?) old"
        + " where d.id = ? and d.version = ? and d.app = ? and d.environment = ?"
        + " returning d.*, old.old_phase, old.old_canary_state, old.old_canary_step,"
        + " old.old_canary_share),"
        + " tr as (insert into transitions"
        + " (deployment_id, app, environment, from_phase, to_phase, at, actor, reason,"
        + " image_digest, configuration_fault)"
        + " select id, app, environment, old_phase, phase, updated_at, ?, ?, image_digest,"
        + " configuration_fault"
        + " from upd"
        + " where old_phase <> phase or ? or old_canary_state is distinct from canary_state"
        + " or old_canary_step is distinct from canary_step"
        + " or old_canary_share is distinct from canary_share)"
        + " select "
        + Rows.columns("upd")
        + " from upd";
  }

  @Override
  public Deployment save(Deployment next, String actor, String reason) {
    return save(next, actor, reason, false);
  }

  @Override
  public Deployment saveNoted(Deployment next, String actor, String reason) {
    return save(next, actor, reason, true);
  }

  private Deployment save(Deployment next, String actor, String reason, boolean noted) {
    String operation = "save(" + next.id() + " at version " + next.version() + ")";
    Optional<Deployment> saved;
    try {
      saved =
          jdbc.statement(
              operation,
              next.isRelease() ? SAVE_RELEASE : SAVE,
              ps -> {
                int i = Rows.bindMutable(ps, 1, next);
                ps.setString(i++, next.id());
                ps.setString(i++, next.id());
                ps.setLong(i++, next.version());
                ps.setString(i++, next.app());
                ps.setString(i++, next.environment());
                ps.setString(i++, actor);
                ps.setString(i++, reason);
                ps.setBoolean(i, noted);
              },
              ps -> Rows.deployments(ps).stream().findFirst());
    } catch (LedgerException e) {
      if (UNIQUE_VIOLATION.equals(e.sqlState()) && next.active()) {
        throw new LedgerException(LedgerRules.slotHeld(next), e.getCause());
      }
      throw e;
    }
    if (saved.isPresent()) {
      return saved.get();
    }
    // Nothing matched: say why (unknown, stale version, another app or environment).
    LedgerRules.checkSave(find(next.id()).orElse(null), next);
    throw new Ledger.ConcurrentUpdateException(
        "ledger save: deployment "
            + next.id()
            + " changed while it was being saved; read it again");
  }

  @Override
  public Optional<AbortOutcome> requestAbort(String deploymentId, AbortRequest request) {
    return RequestAbort.request(jdbc, deploymentId, request);
  }

  @Override
  public Optional<Deployment> claimNext(String app, String environment, String actor, Instant now) {
    return claimNext.claim(app, environment, actor, now);
  }

  @Override
  public boolean lease(String deploymentId, String owner, Instant now, Instant until) {
    Objects.requireNonNull(owner, "owner");
    return jdbc.statement(
        "lease(" + deploymentId + " for " + owner + ")",
        "update deployments set lease_owner = ?, lease_until = ? where id = ?"
            + " and (lease_owner is null or lease_owner = ? or lease_until <= ?)",
        ps -> {
          ps.setString(1, owner);
          Rows.setInstant(ps, 2, until);
          ps.setString(3, deploymentId);
          ps.setString(4, owner);
          Rows.setInstant(ps, 5, now);
        },
        ps -> ps.executeUpdate() == 1);
  }

  @Override
  public void release(String deploymentId, String owner) {
    jdbc.statement(
        "release(" + deploymentId + " by " + owner + ")",
        "update deployments set lease_owner = null, lease_until = null"
            + " where id = ? and lease_owner = ?",
        ps -> {
          ps.setString(1, deploymentId);
          ps.setString(2, owner);
        },
        PreparedStatement::executeUpdate);
  }

  @Override
  public List<Deployment> inFlight(Instant now) {
    return jdbc.statement(
        "inFlight",
        SELECT
            + " where (phase = 'PENDING' and not active)"
            + " or (active and (lease_until is null or lease_until <= ?))"
            + " order by app, environment, pushed_at, seq",
        ps -> Rows.setInstant(ps, 1, now),
        Rows::deployments);
  }

  @Override
  public boolean isKnownBad(String app, String environment, String digest) {
    if (digest == null) {
      return false;
    }
    return jdbc.statement(
        "isKnownBad(" + app + "/" + environment + " " + digest + ")",
        "select exists (select 1 from transitions where app = ? and environment = ?"
            + " and image_digest = ? and to_phase in ("
            + BAD_PHASES
            + ") and not configuration_fault)",
        ps -> {
          ps.setString(1, app);
          ps.setString(2, environment);
          ps.setString(3, digest);
        },
        ps -> {
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
          }
        });
  }

  @Override
  public ChainCheck verifyChain() {
    return jdbc.read("verifyChain", ChainWalk::walk);
  }

  @Override
  public ChainCheck checkChain() {
    return jdbc.read("checkChain", watch::check);
  }

  @Override
  public DoraFigures dora(String app, String environment, Instant since, Instant until) {
    LedgerRules.checkWindow(since, until);
    return jdbc.read(
        "dora(" + app + "/" + environment + ")",
        c -> DoraQuery.figures(c, app, environment, since, until));
  }

  @Override
  public Optional<Deployment> lastSucceeded(String app, String environment, String digest) {
    return jdbc.statement(
        "lastSucceeded(" + app + "/" + environment + ")",
        SELECT
            + " where app = ? and environment = ? and phase = 'SUCCEEDED'"
            + " and (?::text is null or image_digest = ?)"
            + " order by pushed_at desc, seq desc limit 1",
        ps -> {
          ps.setString(1, app);
          ps.setString(2, environment);
          ps.setString(3, digest);
          ps.setString(4, digest);
        },
        ps -> Rows.deployments(ps).stream().findFirst());
  }

  @Override
  public List<Deployment> deployments(String app, String environment, int limit) {
    LedgerRules.checkLimit(limit, "deployments");
    return jdbc.statement(
        "deployments(" + app + "/" + environment + ")",
        SELECT + " where app = ? and environment = ? order by pushed_at desc, seq desc limit ?",
        ps -> {
          ps.setString(1, app);
          ps.setString(2, environment);
          ps.setInt(3, limit);
        },
        Rows::deployments);
  }

  @Override
  public List<Transition> transitions(String deploymentId) {
    return jdbc.statement(
        "transitions(" + deploymentId + ")",
        "select * from transitions where deployment_id = ? order by seq",
        ps -> ps.setString(1, deploymentId),
        Rows::transitions);
  }

  @Override
  public List<Transition> timeline(long afterSeq, int limit) {
    LedgerRules.checkLimit(limit, "timeline");
    return jdbc.statement(
        "timeline(after " + afterSeq + ")",
        "select * from transitions where seq > ? order by seq limit ?",
        ps -> {
          ps.setLong(1, afterSeq);
          ps.setInt(2, limit);
        },
        Rows::transitions);
  }
}
