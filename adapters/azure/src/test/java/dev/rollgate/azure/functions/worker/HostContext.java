package dev.rollgate.azure.functions.worker;

import com.microsoft.azure.functions.ExecutionContext;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** An invocation's context as the worker passes it; keeps what the function logged. */
public final class HostContext implements ExecutionContext {

  private final String function;
  private final String invocationId = UUID.randomUUID().toString();
  private final Logger logger;
  public final List<String> logged = Collections.synchronizedList(new ArrayList<>());

  public HostContext(String function) {
    this(function, null);
  }

  /**
   * A context whose logger also writes each record to {@code echo} (null: nowhere), as the host's
   * log.
   */
  public HostContext(String function, PrintStream echo) {
    this.function = function;
    this.logger = Logger.getLogger("Function." + function + "." + invocationId);
    logger.setUseParentHandlers(false);
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.add(r.getLevel() + " " + r.getMessage());
            if (echo != null) {
              echo.println("[" + r.getLevel() + "] " + function + ": " + r.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Override
  public Logger getLogger() {
    return logger;
  }

  @Override
  public String getInvocationId() {
    return invocationId;
  }

  @Override
  public String getFunctionName() {
    return function;
  }
}
