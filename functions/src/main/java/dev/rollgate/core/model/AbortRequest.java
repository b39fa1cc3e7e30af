package dev.rollgate.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A person's request to stop a deployment in flight, as the ledger recorded it: the engine honours
 * it at the deployment's next step.
 *
 * @param by who asked (the caller's {@code by}, or "token holder")
 * @param reason why, in the caller's words; or null
 * @param at when the ledger recorded it
 */
public record AbortRequest(String by, String reason, Instant at) {

  public AbortRequest {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(at, "at");
  }

  /** "alice (error rate up)", or "alice" without a reason. */
  public String describe() {
    return reason == null || reason.isBlank() ? by : by + " (" + reason + ")";
  }
}
