package dev.rollgate.testing;

import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.DatabaseInspector;
import dev.rollgate.core.port.SchemaRebuildException;
import dev.rollgate.core.port.Snapshotter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A snapshotter and inspector in memory for the backup service's unit tests: snapshots of a fixed
 * two-table database, scripted failures, and a record of every scratch database created and
 * dropped.
 */
public final class FakeSnapshotter implements Snapshotter {

  private final Clock clock;
  private final List<Snapshot> stored = new ArrayList<>();
  private final Set<String> liveScratch = new LinkedHashSet<>();
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, String> answers = new HashMap<>();
  private final List<String> dropped = new ArrayList<>();
  private int taken;
  private String takeFailure;
  private String restoreFailure;
  private UnaryOperator<DatabaseInspector.State> tamper = UnaryOperator.identity();
  private final List<Snapshot> restored = new ArrayList<>();
  private String rebuildingLocation;
  private Snapshot restoring;

  public FakeSnapshotter(Clock clock) {
    this.clock = clock;
  }

  public FakeSnapshotter failTake(String message) {
    takeFailure = message;
    return this;
  }

  public FakeSnapshotter failRestore(String message) {
    restoreFailure = message;
    return this;
  }

  /**
   * Restores only snapshots whose schema locations include {@code location}: the others fail as a
   * Flyway restore does when the migrations up to the recorded version are not there.
   */
  public FakeSnapshotter rebuildsOnlyWith(String location) {
    rebuildingLocation = location;
    return this;
  }

  /** Changes what the inspector sees in a restored database. */
  public FakeSnapshotter tamper(UnaryOperator<DatabaseInspector.State> change) {
    tamper = change;
    return this;
  }

  public FakeSnapshotter answer(String sql, String value) {
    answers.put(sql, value);
    return this;
  }

  /** Replaces a stored snapshot, e.g. with one whose manifest changed. */
  public void replace(Snapshot snapshot) {
    stored.removeIf(s -> s.id().equals(snapshot.id()));
    stored.add(snapshot);
  }

  public List<Request> requests() {
    return requests;
  }

  public Set<String> liveScratch() {
    return liveScratch;
  }

  /** The snapshots restore was asked for, as it was asked (schema locations included). */
  public List<Snapshot> restored() {
    return restored;
  }

  public List<String> dropped() {
    return dropped;
  }

  public List<String> ids() {
    return stored.stream()
        .sorted(Comparator.comparing(Snapshot::takenAt).reversed())
        .map(Snapshot::id)
        .toList();
  }

  @Override
  public String kind() {
    return "fake";
  }

  @Override
  public Snapshot take(Request request) throws BackupException {
    requests.add(request);
    if (takeFailure != null) {
      throw new BackupException(takeFailure);
    }
    String id = "b" + ++taken;
    Snapshot s =
        new Snapshot(
            id,
            request.app(),
            request.environment(),
            kind(),
            clock.now(),
            Duration.ofSeconds(2),
            "3",
            request.schemaLocations(),
            List.of(
                new Snapshot.Table("public.customers", 2, "c0ffee", 100),
                new Snapshot.Table("public.orders", 5, "0dd", 400)),
            List.of(new Snapshot.Sequence("public.orders_id_seq", 5, true)),
            500,
            "fingerprint-" + id,
            "fake:/" + id);
    stored.add(s);
    return s;
  }

  @Override
  public List<Snapshot> list(String app, String environment) {
    return stored.stream()
        .filter(s -> s.app().equals(app) && s.environment().equals(environment))
        .sorted(Comparator.comparing(Snapshot::takenAt).reversed())
        .toList();
  }

  @Override
  public RestoredDatabase restore(Snapshot snapshot, Scratch scratch) throws BackupException {
    liveScratch.add(scratch.name());
    restored.add(snapshot);
    if (restoreFailure != null) {
      throw new BackupException(restoreFailure);
    }
    if (rebuildingLocation != null && !snapshot.schemaLocations().contains(rebuildingLocation)) {
      throw new SchemaRebuildException(
          snapshot.schemaVersion(),
          snapshot.schemaLocations(),
          "schema version %s: cannot rebuild it with the migrations at %s: no migration with"
                  .formatted(snapshot.schemaVersion(), snapshot.schemaLocations())
              + " version "
              + snapshot.schemaVersion());
    }
    restoring = snapshot;
    return new RestoredDatabase(scratch.name(), "jdbc:fake:" + scratch.name());
  }

  @Override
  public void drop(Scratch scratch) {
    liveScratch.remove(scratch.name());
    dropped.add(scratch.name());
  }

  @Override
  public void delete(Snapshot snapshot) {
    stored.removeIf(s -> s.id().equals(snapshot.id()));
  }

  /** Sees in a restored database exactly what the snapshot holds, unless tampered with. */
  public DatabaseInspector inspector() {
    return new DatabaseInspector() {
      @Override
      public State inspect(RestoredDatabase database) {
        return tamper.apply(
            new State(restoring.schemaVersion(), restoring.tables(), restoring.sequences()));
      }

      @Override
      public String query(RestoredDatabase database, String sql) throws BackupException {
        String answer = answers.get(sql);
        if (answer == null) {
          throw new BackupException("ERROR: relation does not exist");
        }
        return answer;
      }
    };
  }
}
