package dev.rollgate.local.platform;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operating-system process of one revision: started here, or adopted by pid after the host
 * restarted (then its exit code is unknown, as it is not our child any more).
 */
final class RevisionProcess {

  // Start times read twice through /proc may differ by a clock tick; a reused pid differs more.
  private static final long START_TOLERANCE_MILLIS = 2_000;

  private final ProcessHandle handle;
  private final Process process;

  private RevisionProcess(ProcessHandle handle, Process process) {
    this.handle = handle;
    this.process = process;
  }

  /**
   * Starts {@code command} in {@code workDir} with exactly the environment {@code env} (nothing of
   * the host's beyond it), appending its stdout and stderr to {@code log}.
   */
  static RevisionProcess start(
      List<String> command, Path workDir, Map<String, String> env, Path log, Instant now)
      throws IOException {
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "--- rollgate: " + now + " starting on port " + env.get("PORT") + ": " + command + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    // No pipe ties the revision to this JVM: it must outlive a restart of the host.
    process.getOutputStream().close();
    return new RevisionProcess(process.toHandle(), process);
  }

  /** The live process {@code pid}, when it is still the one that was started at {@code start}. */
  static Optional<RevisionProcess> adopt(long pid, long start) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> start == 0 || Math.abs(startMillis(h) - start) <= START_TOLERANCE_MILLIS)
        .map(h -> new RevisionProcess(h, null));
  }

  long pid() {
    return handle.pid();
  }

  long startMillis() {
    return startMillis(handle);
  }

  boolean alive() {
    return process != null ? process.isAlive() : handle.isAlive();
  }

  /** The exit code once the process has ended, when this JVM started it. */
  OptionalInt exitCode() {
    return process != null && !process.isAlive()
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  /** Asks the process (and its children) to stop, and forces it after {@code grace}. */
  void stop(Duration grace) {
    handle.descendants().forEach(ProcessHandle::destroy);
    handle.destroy();
    if (!await(grace)) {
      handle.descendants().forEach(ProcessHandle::destroyForcibly);
      handle.destroyForcibly();
      await(grace);
    }
  }

  private boolean await(Duration grace) {
    CompletableFuture<?> exit = process != null ? process.onExit() : handle.onExit();
    try {
      exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long startMillis(ProcessHandle h) {
    return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /** The last non-blank line of {@code log}, read from its end; empty when there is none. */
  static String lastLine(Path log) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int size = (int) Math.min(length, 8192);
      byte[] tail = new byte[size];
      file.seek(length - size);
      file.readFully(tail);
      List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }
}
