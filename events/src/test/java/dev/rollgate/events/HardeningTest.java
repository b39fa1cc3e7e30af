package dev.rollgate.events;

import static dev.rollgate.events.Decoding.DIGEST;
import static dev.rollgate.events.Decoding.one;
import static dev.rollgate.events.Decoding.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Inputs a hostile sender would try: times the ledger cannot store, references that disagree. */
class HardeningTest {

  private static String plainAt(String time) {
    return "{\"repository\": \"team/shop\", \"tag\": \"v1\", \"digest\": \""
        + DIGEST
        + "\", \"time\": \""
        + time
        + "\"}";
  }

  @Test
  void decode_shouldRefuseNamingTheField_whenATimeIsBeyondWhatTheLedgerStores() {
    // GIVEN times outside PostgreSQL's timestamptz (4713 BC to 294276 AD)
    // WHEN decoded THEN each is refused, naming $.time, rather than failing at the ledger
    for (String time : new String[] {"+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z"}) {
      String message = rejection(plainAt(time));
      assertTrue(message.startsWith("$.time: "), message);
      assertTrue(message.contains("years 0001 to 9999"), message);
    }
  }

  @Test
  void decode_shouldKeepTheTime_whenItIsAnOrdinaryPastTime() throws Exception {
    // GIVEN a push time in the usual range WHEN decoded THEN it is kept as sent
    ImagePushed push = (ImagePushed) one(plainAt("2024-08-16T10:00:00Z"));
    assertEquals(Instant.parse("2024-08-16T10:00:00Z"), push.occurredAt());
  }
}
