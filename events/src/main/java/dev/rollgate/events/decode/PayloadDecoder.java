package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Trigger;
import java.util.List;

/** Decodes one sender family's payloads, recognised by their content (and headers). */
interface PayloadDecoder {

  /**
   * The triggers in {@code payload}, or null when it is not this sender's: the dispatcher then asks
   * the next decoder. Envelopes hand what they carry back to {@code dispatcher}.
   */
  List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException;
}
