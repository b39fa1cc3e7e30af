package dev.rollgate.events;

/**
 * How much the decoder accepts before it refuses an input, so that a hostile body costs bounded
 * memory and time.
 *
 * @param maxBodyBytes largest body, and largest body an envelope carries (base64, JSON in a
 *     string); default 1 MiB
 * @param maxDepth deepest JSON nesting of objects and arrays; default 64
 * @param maxArrayElements most elements in one JSON array, and most fields in one object; default
 *     10,000
 * @param maxTriggers most triggers one input may decode to (an Event Grid or SQS batch); default
 *     1,000
 * @param maxEnvelopes most envelopes nested in one another (HTTP, SQS, SNS, Pub/Sub, CloudEvent,
 *     JSON in a string); default 8
 */
public record DecodeLimits(
    int maxBodyBytes, int maxDepth, int maxArrayElements, int maxTriggers, int maxEnvelopes) {

  /** The limits rollgate uses unless told otherwise. */
  public static final DecodeLimits DEFAULTS = new DecodeLimits(1 << 20, 64, 10_000, 1_000, 8);

  public DecodeLimits {
    positive("maxBodyBytes", maxBodyBytes);
    positive("maxDepth", maxDepth);
    positive("maxArrayElements", maxArrayElements);
    positive("maxTriggers", maxTriggers);
    positive("maxEnvelopes", maxEnvelopes);
  }

  /** These limits with another body size cap. */
  public DecodeLimits withMaxBodyBytes(int bytes) {
    return new DecodeLimits(bytes, maxDepth, maxArrayElements, maxTriggers, maxEnvelopes);
  }

  /** These limits with another nesting depth cap. */
  public DecodeLimits withMaxDepth(int depth) {
    return new DecodeLimits(maxBodyBytes, depth, maxArrayElements, maxTriggers, maxEnvelopes);
  }

  /** These limits with another array size cap. */
  public DecodeLimits withMaxArrayElements(int elements) {
    return new DecodeLimits(maxBodyBytes, maxDepth, elements, maxTriggers, maxEnvelopes);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("DecodeLimits." + name + " must be positive: " + value);
    }
  }
}
