package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {

  @Test
  void from_shouldReadEverySetting_whenAllAreGiven() {
    // GIVEN every setting rollgate reads by name (ROLLGATE_AWS_* on Lambda)
    Map<String, String> given =
        Map.of(
            "rollgate.aws.region", "eu-west-1",
            "rollgate.aws.endpoint", " http://127.0.0.1:5000 ",
            "rollgate.aws.task-poll", "PT1S",
            "rollgate.aws.task-timeout", "PT3M");

    // WHEN they are read
    AwsSettings settings = AwsSettings.from(given::get);

    // THEN each changes its default, and the rest keep theirs
    assertEquals("eu-west-1", settings.region());
    assertEquals(URI.create("http://127.0.0.1:5000"), settings.endpoint());
    assertEquals(Duration.ofSeconds(1), settings.taskPoll());
    assertEquals(Duration.ofMinutes(3), settings.taskTimeout());
    assertEquals(AwsSettings.defaults().callTimeout(), settings.callTimeout());
  }

  @Test
  void from_shouldKeepTheDefaults_whenNothingIsSet() {
    assertEquals(AwsSettings.defaults(), AwsSettings.from(name -> null));
  }

  @Test
  void from_shouldNameTheSettingAndShowAnExample_whenAValueIsUnusable() {
    // WHEN a task poll is written as "5s" instead of ISO-8601, a timeout as zero, an endpoint
    // without its scheme, and a poll longer than the timeout
    IllegalArgumentException unreadable =
        assertThrows(
            IllegalArgumentException.class,
            () -> AwsSettings.from(Map.of("rollgate.aws.task-poll", "5s")::get));
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> AwsSettings.from(Map.of("rollgate.aws.task-timeout", "PT0S")::get));

    IllegalArgumentException noScheme =
        assertThrows(
            IllegalArgumentException.class,
            () -> AwsSettings.from(Map.of("rollgate.aws.endpoint", "localhost:4566")::get));
    IllegalArgumentException pollTooLong =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AwsSettings.from(
                    Map.of("rollgate.aws.task-poll", "PT5M", "rollgate.aws.task-timeout", "PT1M")
                        ::get));

    // THEN each message names the setting and what would be right
    assertEquals(
        "rollgate.aws.task-poll: not an ISO-8601 duration: '5s'; e.g. PT2S or PT10M",
        unreadable.getMessage());
    assertEquals("rollgate.aws.task-timeout: must be positive, got 'PT0S'", zero.getMessage());
    assertEquals(
        "rollgate.aws.endpoint: not an http(s) URL: 'localhost:4566'; e.g. http://127.0.0.1:5000",
        noScheme.getMessage());
    assertTrue(pollTooLong.getMessage().contains("never be polled"), pollTooLong.getMessage());
  }
}
