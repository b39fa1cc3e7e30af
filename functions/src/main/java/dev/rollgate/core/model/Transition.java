package dev.rollgate.core.model;

import java.time.Instant;

/**
 * One entry of the append-only audit log: who moved which deployment from where to where, when and
 * why.
 */
public record Transition(
    long seq,
    String deploymentId,
    String app,
    String environment,
    Phase from,
    Phase to,
    Instant at,
    String actor,
    String reason) {}
