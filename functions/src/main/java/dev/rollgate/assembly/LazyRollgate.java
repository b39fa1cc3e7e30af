package dev.rollgate.assembly;

import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.RollgateApi;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * rollgate assembled on first use, once, thread-safely: a function instance (and a SnapStart
 * snapshot of one) holds no connection, credentials, manifest or lease-owner id until its first
 * invocation. An assembly that fails closes what it opened and is tried again on the next call.
 */
public final class LazyRollgate implements AutoCloseable {

  private final Supplier<Rollgate> assembly;
  private volatile Rollgate assembled;
  private boolean closed;

  public LazyRollgate(Supplier<Rollgate> assembly) {
    this.assembly = Objects.requireNonNull(assembly, "assembly");
  }

  /** Assembles with {@code assembler} on first use. */
  public static LazyRollgate of(RollgateAssembler assembler) {
    return new LazyRollgate(assembler::assemble);
  }

  public RollgateApi api() {
    return get().api();
  }

  public BackupApi backups() {
    return get().backups();
  }

  /** True once the first call assembled rollgate. */
  public boolean isAssembled() {
    return assembled != null;
  }

  /** The assembled rollgate, assembling it first if need be. */
  public Rollgate get() {
    Rollgate r = assembled;
    if (r == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("rollgate was closed");
        }
        r = assembled;
        if (r == null) {
          r = assembly.get();
          assembled = r;
        }
      }
    }
    return r;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (assembled != null) {
      assembled.close();
    }
  }
}
