package dev.rollgate.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decodes rollgate's own plain push format: {@code {"repository", "tag", "digest"}}, with optional
 * {@code registry}, {@code id} and {@code time}. Without an id, the event key is a digest of the
 * body, so a byte-identical redelivery is recognised as a duplicate. It reads exactly as {@link
 * EventDecoder} does (same checks, same messages), and refuses every other format.
 */
public final class PlainPushDecoder {

  private final EventDecoder decoder = new EventDecoder();

  public ImagePushed decode(byte[] body, Instant receivedAt) throws DecodeException {
    List<Trigger> triggers = decoder.decode(body, Map.of(), receivedAt);
    if (triggers.size() == 1
        && triggers.get(0) instanceof ImagePushed push
        && "plain".equals(push.source())) {
      return push;
    }
    throw new DecodeException("$: not rollgate's plain push format {repository, tag, digest}");
  }
}
