package dev.rollgate.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Records, per thread, every JDBC call the engine makes through a DataSource (connections taken and
 * returned, statements prepared, parameters set, executions, commits), so that {@link JdbcFloor}
 * can replay exactly the same ledger work with no engine around it.
 */
final class JdbcRecorder {

  /** One recorded call: which object (by number within the recording), which method, its args. */
  record Call(
      int target, int result, Class<?> type, String method, Class<?>[] types, Object[] args) {}

  /**
   * One function call's JDBC work, and the points in it where a rollout was issued.
   *
   * @param key what the work belongs to (the bench uses the app: its calls replay in order)
   */
  record Recording(
      String key, long started, List<Call> calls, List<Mark> marks, List<String> received) {

    /** The same recording, knowing which deployments its call received (its reply's). */
    Recording receiving(List<String> deployments) {
      return new Recording(key, started, calls, marks, List.copyOf(deployments));
    }
  }

  /** Deployment {@code deployment}'s rollout was issued after the first {@code index} calls. */
  record Mark(int index, String deployment) {}

  private final ThreadLocal<List<Call>> current = new ThreadLocal<>();
  private final ThreadLocal<List<Mark>> marks = new ThreadLocal<>();
  private final ThreadLocal<Long> started = new ThreadLocal<>();
  private final ThreadLocal<Map<Object, Integer>> ids = new ThreadLocal<>();
  private final ThreadLocal<long[]> inJdbc = ThreadLocal.withInitial(() -> new long[2]);

  /** Nanoseconds the calling thread spent inside JDBC calls since its last {@link #start()}. */
  long jdbcNanos() {
    return inJdbc.get()[0];
  }

  /** Starts recording the calling thread's JDBC work. */
  void start() {
    current.set(new ArrayList<>());
    marks.set(new ArrayList<>());
    started.set(System.nanoTime());
    inJdbc.get()[0] = 0;
    ids.set(new IdentityHashMap<>());
  }

  /** Notes that a rollout was issued now, if the calling thread is recording. */
  void mark(String deployment) {
    List<Call> calls = current.get();
    if (calls != null) {
      marks.get().add(new Mark(calls.size(), deployment));
    }
  }

  /** Stops recording on the calling thread and returns what it recorded. */
  Recording stop(String key) {
    Recording r = new Recording(key, started.get(), current.get(), marks.get(), List.of());
    current.remove();
    marks.remove();
    ids.remove();
    return r;
  }

  /** {@code target}, recorded: object 0 is the DataSource. */
  DataSource wrap(DataSource target) {
    return (DataSource) proxy(target, DataSource.class, 0);
  }

  private Object proxy(Object target, Class<?> type, int fixedId) {
    InvocationHandler handler =
        (p, method, args) -> {
          Object result;
          long[] timing = inJdbc.get();
          long started = timing[1]++ == 0 ? System.nanoTime() : 0;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            if (--timing[1] == 0) {
              timing[0] += System.nanoTime() - started;
            }
          }
          List<Call> calls = current.get();
          if (calls == null || method.getDeclaringClass() == Object.class) {
            return wrapResult(result);
          }
          Map<Object, Integer> known = ids.get();
          int self = fixedId == 0 && type == DataSource.class ? 0 : known.getOrDefault(p, -1);
          Object wrapped = wrapResult(result);
          int resultId = -1;
          if (wrapped != result) {
            resultId = known.size() + 1;
            known.put(wrapped, resultId);
          }
          if (self >= 0) {
            calls.add(
                new Call(
                    self,
                    resultId,
                    method.getDeclaringClass(),
                    method.getName(),
                    method.getParameterTypes(),
                    args == null ? new Object[0] : args.clone()));
          }
          return wrapped;
        };
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
  }

  private Object wrapResult(Object result) {
    if (result instanceof Connection c) {
      return proxy(c, Connection.class, -1);
    }
    if (result instanceof java.sql.PreparedStatement s) {
      return proxy(s, java.sql.PreparedStatement.class, -1);
    }
    if (result instanceof Statement s) {
      return proxy(s, Statement.class, -1);
    }
    if (result instanceof ResultSet r) {
      return proxy(r, ResultSet.class, -1);
    }
    return result;
  }

  /** Counts of what a recording holds, for the bench's report. */
  static String describe(List<Call> calls) {
    long transactions = calls.stream().filter(c -> c.method().equals("commit")).count();
    long autoCommitted = 0;
    long executions = 0;
    boolean autoCommit = true;
    for (Call c : calls) {
      if (c.method().equals("setAutoCommit")) {
        autoCommit = (Boolean) c.args()[0];
      } else if (c.method().startsWith("execute")) {
        executions++;
        if (autoCommit) {
          autoCommitted++;
        }
      }
    }
    return executions
        + " statements, "
        + (transactions + autoCommitted)
        + " transactions ("
        + transactions
        + " explicit)";
  }
}
