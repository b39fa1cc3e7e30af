package dev.rollgate.events;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed inputs, generated from a printed seed: whatever arrives, the decoder
 * returns well-formed triggers or throws a one-line DecodeException, and never anything else. Rerun
 * a failure with {@code -Drollgate.fuzz.seed=<seed>}.
 */
class EventDecoderFuzzTest {

  private static final long SEED = Long.getLong("rollgate.fuzz.seed", 20240816L);
  private static final int MINIMUM_INPUTS = 10_000;
  // Loose on purpose: this catches a hang or a blow-up, not a slow machine.
  private static final long SLOW_NANOS = Duration.ofSeconds(20).toNanos();
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final EventDecoder decoder = new EventDecoder();
  private int inputs;
  private long slowest;
  private String slowestInput = "";

  @Test
  void decode_shouldOnlyThrowDecodeException_whenGivenTensOfThousandsOfHostileInputs() {
    // GIVEN a seeded generator of hostile inputs, derived from every fixture
    System.out.println(
        "EventDecoderFuzzTest seed " + SEED + " (-Drollgate.fuzz.seed=" + SEED + ")");
    // WHEN each one is decoded and unwrapped THEN each ends in triggers or a DecodeException
    assertTimeoutPreemptively(
        Duration.ofMinutes(15),
        () -> new HostileInputs(new Random(SEED)).generate(this::check),
        "seed " + SEED);
    System.out.println(
        "EventDecoderFuzzTest: "
            + inputs
            + " inputs, slowest "
            + slowest / 1_000_000
            + " ms ("
            + slowestInput
            + ")");
    assertTrue(inputs >= MINIMUM_INPUTS, inputs + " inputs, fewer than " + MINIMUM_INPUTS);
  }

  private void check(String what, byte[] body, Map<String, String> headers) {
    inputs++;
    long start = System.nanoTime();
    try {
      List<Trigger> triggers = decoder.decode(body, headers, Fixtures.RECEIVED);
      triggers.forEach(t -> wellFormed(what, t));
      assertTrue(!triggers.isEmpty(), what + ": no triggers and no rejection");
    } catch (DecodeException e) {
      rejectionWellFormed(what, e);
    } catch (Throwable t) {
      fail("seed " + SEED + ", " + what + ": " + t, t);
    }
    try {
      decoder.unwrap(body, headers);
    } catch (DecodeException e) {
      rejectionWellFormed(what + " (unwrap)", e);
    } catch (Throwable t) {
      fail("seed " + SEED + ", " + what + " (unwrap): " + t, t);
    }
    long took = System.nanoTime() - start;
    if (took > slowest) {
      slowest = took;
      slowestInput = what;
    }
    assertTrue(took < SLOW_NANOS, "seed " + SEED + ", " + what + " took " + took / 1e9 + " s");
  }

  private static void rejectionWellFormed(String what, DecodeException e) {
    String message = e.getMessage();
    if (e.getCause() != null) {
      fail("seed " + SEED + ", " + what + ": a bug reached the last line of defence", e.getCause());
    }
    assertTrue(message != null && !message.isBlank(), what + ": no message");
    assertTrue(!message.contains("\n") && !message.contains("\r"), what + ": " + message);
    assertTrue(message.length() < 2_000, what + ": a message of " + message.length() + " chars");
  }

  private static void wellFormed(String what, Trigger t) {
    assertTrue(t.source() != null && t.id() != null && t.occurredAt() != null, what);
    if (t instanceof ImagePushed p) {
      image(what, p.repository(), p.tags(), p.digest());
    } else if (t instanceof ImageDeleted d) {
      image(what, d.repository(), d.tags(), d.digest());
    }
  }

  // What the core relies on: ImageRef refuses any digest but sha256:<64 hex>.
  private static void image(String what, String repository, List<String> tags, String digest) {
    assertTrue(repository != null && !repository.isBlank(), what + ": no repository");
    assertTrue(digest == null || DIGEST.matcher(digest).matches(), what + ": digest " + digest);
    assertTrue(digest != null || !tags.isEmpty(), what + ": names no image");
  }
}
