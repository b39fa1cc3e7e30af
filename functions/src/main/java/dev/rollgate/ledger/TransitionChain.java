package dev.rollgate.ledger;

import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Transition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The ledger's hash chains over transitions, one per app and environment: sha256 of the chain's
 * previous hash and the transition's canonical fields, the same bytes as {@code
 * rollgate_transition_hash} in V3__transition_chain.sql; and the walk that recomputes them over the
 * whole log, oldest first. One chain per app and environment lets writers of different apps commit
 * without waiting for each other.
 */
public final class TransitionChain {

  private static final HexFormat HEX = HexFormat.of();

  private final Map<String, String> previous = new HashMap<>();
  private long checked;
  private ChainCheck broken;

  /** The hash of {@code t} (about {@code digest}) after a transition hashed {@code previous}. */
  public static String hash(String previous, Transition t, String digest) {
    return hash(previous, t, digest, false);
  }

  /** The same, for a transition of a deployment that ended for a configuration fault or not. */
  public static String hash(
      String previous, Transition t, String digest, boolean configurationFault) {
    return hash(previous, Row.of(t, digest, configurationFault));
  }

  /** A transition as stored, its phases as text: a row edited to hold no phase still hashes. */
  public record Row(
      long seq,
      String deploymentId,
      String app,
      String environment,
      String from,
      String to,
      Instant at,
      String actor,
      String reason,
      String digest,
      boolean configurationFault) {

    /** {@code t} as the ledger stores it, with its digest and configuration-fault flag. */
    static Row of(Transition t, String digest, boolean configurationFault) {
      return new Row(
          t.seq(),
          t.deploymentId(),
          t.app(),
          t.environment(),
          t.from() == null ? null : t.from().name(),
          t.to().name(),
          t.at(),
          t.actor(),
          t.reason(),
          digest,
          configurationFault);
    }
  }

  static String hash(String previous, Row t) {
    StringBuilder canonical = new StringBuilder().append(t.seq()).append(';');
    field(canonical, t.deploymentId());
    field(canonical, t.app());
    field(canonical, t.environment());
    field(canonical, t.from());
    field(canonical, t.to());
    canonical.append(t.at() == null ? "-" : String.valueOf(micros(t.at()))).append(';');
    field(canonical, t.actor());
    field(canonical, t.reason());
    field(canonical, t.digest());
    if (t.configurationFault()) {
      // Only when set (V4__configuration_fault.sql): rows chained before hash as they did.
      canonical.append("configuration-fault;");
    }
    MessageDigest sha256 = sha256();
    if (previous != null) {
      sha256.update(HEX.parseHex(previous));
    }
    return HEX.formatHex(sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Checks the next stored transition; returns false once the chain is broken (the first break is
   * kept, later rows are not looked at).
   */
  public boolean accept(Transition t, String digest, String storedHash) {
    return accept(t, digest, false, storedHash);
  }

  /** The same, for a transition that records whether its deployment had a configuration fault. */
  public boolean accept(
      Transition t, String digest, boolean configurationFault, String storedHash) {
    return accept(Row.of(t, digest, configurationFault), storedHash);
  }

  /** {@link #accept(Transition, String, String)} for a row as stored. */
  public boolean accept(Row t, String storedHash) {
    if (broken != null) {
      return false;
    }
    checked++;
    if (storedHash == null) {
      broken = ChainCheck.broken(checked, t.seq(), "it has no hash (written without the chain)");
      return false;
    }
    String chain = chain(t.app(), t.environment());
    String expected = hash(previous.get(chain), t);
    if (!expected.equals(storedHash)) {
      broken =
          ChainCheck.broken(
              checked,
              t.seq(),
              "its hash does not match its fields and the transition before it in "
                  + chain
                  + ": it, or one before it, was changed or removed after it was written");
      return false;
    }
    previous.put(chain, storedHash);
    return true;
  }

  /**
   * Starts {@code chain} after a transition whose stored hash is {@code hash} (null: the chain's
   * first transition comes next), to check a part of the log.
   */
  void seed(String chain, String hash) {
    previous.put(chain, hash);
  }

  /** Whether {@code chain} was seeded or met. */
  boolean knows(String chain) {
    return previous.containsKey(chain);
  }

  /** The outcome of the walk so far. */
  public ChainCheck result() {
    return broken != null ? broken : ChainCheck.intact(checked);
  }

  /** The chain a transition belongs to. */
  public static String chain(String app, String environment) {
    return app + "/" + environment;
  }

  private static void field(StringBuilder out, String value) {
    if (value == null) {
      out.append("-;");
    } else {
      out.append(value.getBytes(StandardCharsets.UTF_8).length)
          .append(':')
          .append(value)
          .append(';');
    }
  }

  private static long micros(Instant at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
