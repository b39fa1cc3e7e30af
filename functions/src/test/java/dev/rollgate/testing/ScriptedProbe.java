package dev.rollgate.testing;

import dev.rollgate.core.manifest.HealthSpec;
import dev.rollgate.core.port.HealthProbe;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A health probe whose answer a test decides, per probed URL; counts the probes. */
public final class ScriptedProbe implements HealthProbe {

  private final Predicate<String> healthy;
  private final AtomicInteger probes = new AtomicInteger();

  public ScriptedProbe(Predicate<String> healthy) {
    this.healthy = healthy;
  }

  public static ScriptedProbe alwaysHealthy() {
    return new ScriptedProbe(url -> true);
  }

  @Override
  public Result probe(HealthSpec spec, String url) {
    probes.incrementAndGet();
    return healthy.test(url)
        ? new Result(true, "200 from " + url)
        : new Result(false, "503 from " + url);
  }

  public int probes() {
    return probes.get();
  }
}
