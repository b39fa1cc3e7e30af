package dev.rollgate.testing;

import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.VerificationRecord;
import dev.rollgate.core.port.BackupCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The backup catalog in memory, for the backup service's unit tests; thread-safe. */
public final class InMemoryBackupCatalog implements BackupCatalog {

  private static final Comparator<BackupRecord> NEWEST_FIRST =
      Comparator.comparing(BackupRecord::takenAt).thenComparing(BackupRecord::id).reversed();

  private final Map<String, BackupRecord> backups = new LinkedHashMap<>();
  private final Map<String, Instant> deleted = new LinkedHashMap<>();
  private final List<VerificationRecord> verifications = new ArrayList<>();

  private static String key(String app, String environment, String id) {
    return app + "/" + environment + "/" + id;
  }

  @Override
  public synchronized void recordBackup(BackupRecord b) {
    backups.putIfAbsent(key(b.app(), b.environment(), b.id()), b);
  }

  @Override
  public synchronized void recordDeleted(
      String app, String environment, String backupId, Instant at) {
    String key = key(app, environment, backupId);
    if (backups.containsKey(key)) {
      deleted.putIfAbsent(key, at);
    }
  }

  @Override
  public synchronized void recordVerification(VerificationRecord v) {
    if (!backups.containsKey(key(v.app(), v.environment(), v.backupId()))) {
      throw new IllegalArgumentException(
          "backup %s of %s/%s was never recorded"
              .formatted(v.backupId(), v.app(), v.environment()));
    }
    verifications.add(v);
  }

  @Override
  public synchronized Optional<BackupRecord> find(String app, String environment, String backupId) {
    return Optional.ofNullable(backups.get(key(app, environment, backupId)));
  }

  @Override
  public synchronized Optional<BackupRecord> newestBackup(String app, String environment) {
    return live(app, environment).stream().findFirst();
  }

  @Override
  public synchronized Optional<BackupRecord> newestVerifiedBackup(String app, String environment) {
    return live(app, environment).stream()
        .filter(
            b -> {
              List<VerificationRecord> v = verifications(app, environment, b.id());
              return !v.isEmpty() && v.get(0).passed();
            })
        .findFirst();
  }

  @Override
  public synchronized Optional<VerificationRecord> lastVerification(
      String app, String environment) {
    VerificationRecord last = null;
    for (VerificationRecord v : verifications) {
      if (v.app().equals(app)
          && v.environment().equals(environment)
          && (last == null || !v.startedAt().isBefore(last.startedAt()))) {
        last = v;
      }
    }
    return Optional.ofNullable(last);
  }

  @Override
  public synchronized List<BackupRecord> backups(String app, String environment, int limit) {
    return live(app, environment).stream().limit(Math.max(0, limit)).toList();
  }

  @Override
  public synchronized List<VerificationRecord> verifications(
      String app, String environment, String backupId) {
    List<VerificationRecord> out = new ArrayList<>();
    for (VerificationRecord v : verifications) {
      if (v.app().equals(app)
          && v.environment().equals(environment)
          && v.backupId().equals(backupId)) {
        out.add(0, v);
      }
    }
    // Latest first; among equal start times the one recorded last.
    out.sort(Comparator.comparing(VerificationRecord::startedAt).reversed());
    return out;
  }

  private List<BackupRecord> live(String app, String environment) {
    return backups.values().stream()
        .filter(b -> b.app().equals(app) && b.environment().equals(environment))
        .filter(b -> !deleted.containsKey(key(app, environment, b.id())))
        .sorted(NEWEST_FIRST)
        .toList();
  }
}
