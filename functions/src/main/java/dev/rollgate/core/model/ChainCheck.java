package dev.rollgate.core.model;

/**
 * The outcome of recomputing the ledger's hash-chained transition log: intact, or the first
 * transition whose stored hash does not match its fields and its predecessor.
 *
 * @param transitions how many transitions were checked
 * @param brokenAt the sequence number of the first transition that fails, or null when intact
 * @param problem what is wrong there, or null when intact
 */
public record ChainCheck(long transitions, Long brokenAt, String problem) {

  public static ChainCheck intact(long transitions) {
    return new ChainCheck(transitions, null, null);
  }

  public static ChainCheck broken(long transitions, long seq, String problem) {
    return new ChainCheck(transitions, seq, problem);
  }

  public boolean isIntact() {
    return brokenAt == null;
  }

  /** {@code intact}, or {@code broken at transition N: why}. */
  public String describe() {
    return isIntact() ? "intact" : "broken at transition " + brokenAt + ": " + problem;
  }
}
