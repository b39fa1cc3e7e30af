package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Schedule;
import dev.rollgate.events.Trigger;
import java.util.List;

/**
 * Schedules that arrive as a body of their own: Azure Functions' timer {@code TimerInfo}, and Cloud
 * Scheduler's job data ({@code customData}). EventBridge schedules are EventBridge events, Cloud
 * Scheduler HTTP jobs are recognised by their headers.
 */
final class ScheduleDecoder implements PayloadDecoder {

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (root.get("ScheduleStatus").isObject()
        || root.has("IsPastDue") && root.get("Schedule").isObject()) {
      // The timer says when it ran before and will run next, not when this run was due, nor
      // which function it belongs to: the time is when it arrived.
      root.get("IsPastDue").bool(); // true or false by contract: refuse anything else
      return List.of(new Schedule("azure.timer", payload.id(null), payload.time(null), null));
    }
    List<String> names = root.names();
    if (names.size() == 1 && root.has("customData")) {
      root.get("customData").text(); // a string (base64) by contract: refuse anything else
      return List.of(
          new Schedule("gcp.cloudscheduler", payload.id(null), payload.time(null), null));
    }
    return null;
  }
}
