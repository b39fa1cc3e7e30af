package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Handshake;
import dev.rollgate.events.Schedule;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Deliveries that say what they are in their headers rather than their body: binary-mode
 * CloudEvents, Cloud Scheduler HTTP jobs, and the CloudEvents webhook validation request.
 */
final class HeaderDecoders {

  private HeaderDecoders() {}

  /** The triggers these headers announce, or null when they announce nothing. */
  static List<Trigger> decode(Payload raw, Dispatcher dispatcher) throws DecodeException {
    if (raw.header("ce-specversion") != null) {
      return CloudEventDecoder.binary(raw, dispatcher);
    }
    String job = raw.header("X-CloudScheduler-JobName");
    if (job != null) {
      return cloudScheduler(raw, job);
    }
    String origin = raw.header("WebHook-Request-Origin");
    if (origin != null && Dispatcher.isBlank(raw.bytes())) {
      return List.of(abuseProtection(raw, origin));
    }
    return null;
  }

  // Cloud Scheduler HTTP targets POST the job's configured body; the headers say which job fired
  // and for which scheduled time, the same on every retry of that run: a good replay key.
  private static List<Trigger> cloudScheduler(Payload raw, String job) throws DecodeException {
    String scheduled = raw.header("X-CloudScheduler-ScheduleTime");
    Instant at = Times.header(scheduled, "X-CloudScheduler-ScheduleTime");
    String id = at != null ? job + "@" + at : raw.id(null);
    return List.of(new Schedule("gcp.cloudscheduler", id, raw.time(at), job));
  }

  // CloudEvents "HTTP 1.1 Web Hooks" abuse protection (used by Event Grid's CloudEvents schema):
  // an OPTIONS request that must be answered with the origin it names.
  private static Trigger abuseProtection(Payload raw, String origin) {
    String rate = raw.header("WebHook-Request-Rate");
    Map<String, String> headers =
        rate != null
            ? Map.of("WebHook-Allowed-Origin", origin, "WebHook-Allowed-Rate", rate)
            : Map.of("WebHook-Allowed-Origin", origin);
    String id = "webhook-validation:" + origin;
    return new Handshake("cloudevents", id, raw.receivedAt(), Map.of(), headers);
  }
}
