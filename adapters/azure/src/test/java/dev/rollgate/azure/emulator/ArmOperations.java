package dev.rollgate.azure.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * ARM's asynchronous operations, as Azure Resource Manager's "Asynchronous operations" contract
 * (azure-resource-manager-rpc, async-api-reference.md) defines them: a change is answered 201/202
 * with {@code Azure-AsyncOperation} (a status resource: {@code {id, name, status, startTime,
 * endTime}}, status InProgress, then Succeeded) and {@code Location} (202 while running, then 200
 * with the result), both with {@code Retry-After: 1}. An operation ends {@link #delay} after it
 * began; its effect ({@code onDone}) happens once, when it is first seen ended.
 */
final class ArmOperations {

  /** One operation. */
  static final class Op {
    final String id;
    final Instant started;
    final Instant ends;
    final Runnable onDone;
    final Supplier<ObjectNode> result;
    boolean done;

    Op(String id, Instant started, Instant ends, Runnable onDone, Supplier<ObjectNode> result) {
      this.id = id;
      this.started = started;
      this.ends = ends;
      this.onDone = onDone;
      this.result = result;
    }
  }

  volatile Duration delay = Duration.ofMillis(300);
  private final Map<String, Op> ops = new ConcurrentHashMap<>();

  Op begin(Runnable onDone, Supplier<ObjectNode> result) {
    Instant now = Instant.now();
    Op op = new Op(UUID.randomUUID().toString(), now, now.plus(delay), onDone, result);
    ops.put(op.id, op);
    return op;
  }

  Op get(String id) {
    Op op = ops.get(id);
    if (op == null) {
      throw ArmError.notFound("Microsoft.App/locations/containerappOperationStatuses", id);
    }
    return op;
  }

  /** Whether it ended; runs its effect the first time it is seen ended. */
  boolean ended(Op op) {
    synchronized (op) {
      if (!op.done && !Instant.now().isBefore(op.ends)) {
        op.done = true;
        if (op.onDone != null) {
          op.onDone.run();
        }
      }
      return op.done;
    }
  }

  ObjectNode status(Op op) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("id", op.id);
    s.put("name", op.id);
    boolean done = ended(op);
    s.put("status", done ? "Succeeded" : "InProgress");
    s.put("startTime", op.started.toString());
    if (done) {
      s.put("endTime", op.ends.toString());
    }
    return s;
  }
}
