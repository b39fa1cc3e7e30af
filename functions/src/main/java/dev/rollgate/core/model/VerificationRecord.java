package dev.rollgate.core.model;

import java.time.Duration;
import java.time.Instant;

/**
 * One restore test of one backup, as the ledger remembers it.
 *
 * @param passed the backup restored and every check agreed
 * @param reason why it failed (the first failed check), or a short summary when it passed
 * @param newestVerifiedAge the age of the newest verified backup right after this verification, or
 *     null when no backup of the app and environment is verified
 */
public record VerificationRecord(
    String backupId,
    String app,
    String environment,
    Instant startedAt,
    Duration duration,
    boolean passed,
    String reason,
    Duration newestVerifiedAge) {}
