package dev.rollgate.ledger;

import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.CanaryProgress;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Maps deployments and transitions to and from their rows. */
final class Rows {

  /** The columns a deployment is recorded with: all but its abort request. */
  private static final String RECORDED_COLUMNS =
      "id, app, environment, image_registry, image_repository, image_tag, image_digest, phase,"
          + " version, pushed_at, created_at, updated_at, trigger_key, requested_by, override,"
          + " promoted_from, active, previous_revision, revision, service_url, schema_version,"
          + " verify_started_at, successes, failures, restored_at, detail, configuration_fault,"
          + " canary_state, canary_step, canary_steps, canary_share, canary_url,"
          + " canary_step_started_at, canary_probes, canary_unhealthy, canary_latencies";

  static final String DEPLOYMENT_COLUMNS = columns("deployments");

  /**
   * The columns a deployment is read with, from the row named {@code row}. A release's parts (V10)
   * are read through the row's JSON, so that a deployment of one service, which never writes them,
   * reads and writes the same on a schema from before V10.
   */
  static String columns(String row) {
    return RECORDED_COLUMNS
        + ", abort_requested_by, abort_reason, abort_requested_at, to_jsonb("
        + row
        + ")->>'parts' as parts";
  }

  /** What {@code save} adds to {@link #MUTABLE_ASSIGNMENTS} for a release of several services. */
  static final String PARTS_ASSIGNMENT = ", parts = ?::jsonb";

  /** What {@code requestAbort} writes; never {@code save}, so that no save clears a request. */
  static final String ABORT_ASSIGNMENTS =
      "phase = ?, version = ?, updated_at = ?, detail = ?, abort_requested_by = ?,"
          + " abort_reason = ?, abort_requested_at = ?";

  /** The columns {@code save} may change: all but the identity and the version. */
  static final String MUTABLE_ASSIGNMENTS =
      "image_registry = ?, image_repository = ?, image_tag = ?, image_digest = ?, phase = ?,"
          + " pushed_at = ?, created_at = ?, updated_at = ?, trigger_key = ?, requested_by = ?,"
          + " override = ?, promoted_from = ?, active = ?, previous_revision = ?, revision = ?,"
          + " service_url = ?, schema_version = ?, verify_started_at = ?, successes = ?,"
          + " failures = ?, restored_at = ?, detail = ?, configuration_fault = ?,"
          + " canary_state = ?, canary_step = ?, canary_steps = ?, canary_share = ?,"
          + " canary_url = ?, canary_step_started_at = ?, canary_probes = ?,"
          + " canary_unhealthy = ?, canary_latencies = ?";

  /** One {@code ?} per recorded column. */
  private static final String RECORDED_VALUES =
      String.join(", ", java.util.Collections.nCopies(RECORDED_COLUMNS.split(",").length, "?"));

  static final String INSERT_DEPLOYMENT =
      "insert into deployments ("
          + RECORDED_COLUMNS
          + ") values ("
          + RECORDED_VALUES
          + ") returning "
          + DEPLOYMENT_COLUMNS;

  /** {@link #INSERT_DEPLOYMENT} of a release of several services, with its parts. */
  static final String INSERT_RELEASE =
      "insert into deployments ("
          + RECORDED_COLUMNS
          + ", parts) values ("
          + RECORDED_VALUES
          + ", ?::jsonb) returning "
          + DEPLOYMENT_COLUMNS;

  private static final String INSERT_TRANSITION =
      "insert into transitions"
          + " (deployment_id, app, environment, from_phase, to_phase, at, actor, reason,"
          + " image_digest, configuration_fault) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private Rows() {}

  /** Binds every column of {@link #INSERT_DEPLOYMENT} ({@link #INSERT_RELEASE} for a release). */
  static void bindInsert(PreparedStatement ps, Deployment d) throws SQLException {
    ImageRef image = d.image();
    int i = 1;
    ps.setString(i++, d.id());
    ps.setString(i++, d.app());
    ps.setString(i++, d.environment());
    ps.setString(i++, image.registry());
    ps.setString(i++, image.repository());
    ps.setString(i++, image.tag());
    ps.setString(i++, image.digest());
    ps.setString(i++, d.phase().name());
    ps.setLong(i++, d.version());
    bindRest(ps, i, d);
  }

  /**
   * Binds the {@link #MUTABLE_ASSIGNMENTS} (and for a release {@link #PARTS_ASSIGNMENT}) from
   * {@code start}; returns the next index.
   */
  static int bindMutable(PreparedStatement ps, int start, Deployment d) throws SQLException {
    ImageRef image = d.image();
    int i = start;
    ps.setString(i++, image.registry());
    ps.setString(i++, image.repository());
    ps.setString(i++, image.tag());
    ps.setString(i++, image.digest());
    ps.setString(i++, d.phase().name());
    return bindRest(ps, i, d);
  }

  /** Binds the {@link #ABORT_ASSIGNMENTS} from {@code start}; returns the next index. */
  static int bindAbort(PreparedStatement ps, int start, Deployment d) throws SQLException {
    int i = start;
    ps.setString(i++, d.phase().name());
    ps.setLong(i++, d.version());
    setInstant(ps, i++, d.updatedAt());
    ps.setString(i++, d.detail());
    ps.setString(i++, d.abortRequest().by());
    ps.setString(i++, d.abortRequest().reason());
    setInstant(ps, i++, d.abortRequest().at());
    return i;
  }

  private static int bindRest(PreparedStatement ps, int start, Deployment d) throws SQLException {
    int i = start;
    setInstant(ps, i++, d.pushedAt());
    setInstant(ps, i++, d.createdAt());
    setInstant(ps, i++, d.updatedAt());
    ps.setString(i++, d.triggerKey());
    ps.setString(i++, d.requestedBy());
    ps.setBoolean(i++, d.override());
    ps.setString(i++, d.promotedFrom());
    ps.setBoolean(i++, d.active());
    ps.setString(i++, d.previousRevision());
    ps.setString(i++, d.revision());
    ps.setString(i++, d.serviceUrl());
    ps.setString(i++, d.schemaVersion());
    setInstant(ps, i++, d.verifyStartedAt());
    ps.setInt(i++, d.successes());
    ps.setInt(i++, d.failures());
    setInstant(ps, i++, d.restoredAt());
    ps.setString(i++, d.detail());
    ps.setBoolean(i++, d.configurationFault());
    i = bindCanary(ps, i, d.canary());
    if (d.isRelease()) {
      ps.setString(i++, PartsColumn.write(d.parts()));
    }
    return i;
  }

  private static int bindCanary(PreparedStatement ps, int start, CanaryProgress c)
      throws SQLException {
    int i = start;
    ps.setString(i++, c == null ? null : c.state().name());
    setInteger(ps, i++, c == null ? null : c.step());
    setInteger(ps, i++, c == null ? null : c.steps());
    setInteger(ps, i++, c == null ? null : c.share());
    ps.setString(i++, c == null ? null : c.url());
    setInstant(ps, i++, c == null ? null : c.stepStartedAt());
    setInteger(ps, i++, c == null ? null : c.probes());
    setInteger(ps, i++, c == null ? null : c.unhealthy());
    ps.setString(i++, c == null ? null : c.latenciesText());
    return i;
  }

  private static void setInteger(PreparedStatement ps, int index, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, v);
    }
  }

  private static CanaryProgress canary(ResultSet rs) throws SQLException {
    String state = rs.getString("canary_state");
    return state == null
        ? null
        : new CanaryProgress(
            CanaryProgress.State.valueOf(state),
            rs.getInt("canary_step"),
            rs.getInt("canary_steps"),
            rs.getInt("canary_share"),
            rs.getString("canary_url"),
            instant(rs, "canary_step_started_at"),
            rs.getInt("canary_probes"),
            rs.getInt("canary_unhealthy"),
            CanaryProgress.latencies(rs.getString("canary_latencies")));
  }

  static Deployment deployment(ResultSet rs) throws SQLException {
    return Deployment.builder()
        .id(rs.getString("id"))
        .app(rs.getString("app"))
        .environment(rs.getString("environment"))
        .image(
            new ImageRef(
                rs.getString("image_registry"),
                rs.getString("image_repository"),
                rs.getString("image_tag"),
                rs.getString("image_digest")))
        .phase(Phase.valueOf(rs.getString("phase")))
        .version(rs.getLong("version"))
        .pushedAt(instant(rs, "pushed_at"))
        .createdAt(instant(rs, "created_at"))
        .updatedAt(instant(rs, "updated_at"))
        .triggerKey(rs.getString("trigger_key"))
        .requestedBy(rs.getString("requested_by"))
        .override(rs.getBoolean("override"))
        .promotedFrom(rs.getString("promoted_from"))
        .active(rs.getBoolean("active"))
        .previousRevision(rs.getString("previous_revision"))
        .revision(rs.getString("revision"))
        .serviceUrl(rs.getString("service_url"))
        .schemaVersion(rs.getString("schema_version"))
        .verifyStartedAt(instant(rs, "verify_started_at"))
        .successes(rs.getInt("successes"))
        .failures(rs.getInt("failures"))
        .restoredAt(instant(rs, "restored_at"))
        .detail(rs.getString("detail"))
        .configurationFault(rs.getBoolean("configuration_fault"))
        .abortRequest(abortRequest(rs))
        .canary(canary(rs))
        .parts(PartsColumn.read(rs.getString("parts")))
        .build();
  }

  private static AbortRequest abortRequest(ResultSet rs) throws SQLException {
    String by = rs.getString("abort_requested_by");
    return by == null
        ? null
        : new AbortRequest(by, rs.getString("abort_reason"), instant(rs, "abort_requested_at"));
  }

  static List<Deployment> deployments(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<Deployment> out = new ArrayList<>();
      while (rs.next()) {
        out.add(deployment(rs));
      }
      return out;
    }
  }

  static List<Transition> transitions(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<Transition> out = new ArrayList<>();
      while (rs.next()) {
        out.add(transition(rs));
      }
      return out;
    }
  }

  static Transition transition(ResultSet rs) throws SQLException {
    String from = rs.getString("from_phase");
    return new Transition(
        rs.getLong("seq"),
        rs.getString("deployment_id"),
        rs.getString("app"),
        rs.getString("environment"),
        from == null ? null : Phase.valueOf(from),
        Phase.valueOf(rs.getString("to_phase")),
        instant(rs, "at"),
        rs.getString("actor"),
        rs.getString("reason"));
  }

  static void insertTransition(
      Connection c, Deployment d, Phase from, Instant at, String actor, String reason)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_TRANSITION)) {
      ps.setString(1, d.id());
      ps.setString(2, d.app());
      ps.setString(3, d.environment());
      ps.setString(4, from == null ? null : from.name());
      ps.setString(5, d.phase().name());
      setInstant(ps, 6, at);
      ps.setString(7, actor);
      ps.setString(8, reason);
      ps.setString(9, d.image().digest());
      ps.setBoolean(10, d.configurationFault());
      ps.executeUpdate();
    }
  }

  /** PostgreSQL keeps microseconds; truncating here makes what is stored what is read back. */
  static void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
    if (at == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(LedgerRules.micros(at), ZoneOffset.UTC));
    }
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
    return at == null ? null : at.toInstant();
  }
}
