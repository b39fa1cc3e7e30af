package dev.rollgate.testing;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import java.util.ArrayList;
import java.util.List;

/**
 * A real platform with a log of the calls that change or read a rollout ({@code stage}, {@code
 * split}, {@code observe} with its answer, {@code restore}, {@code retire}, {@code rollOut}), in
 * order: for tests that check what the engine asked and in which order. Everything is passed on.
 */
public final class RecordingPlatform implements ServicePlatform {

  private final ServicePlatform real;
  private final List<String> calls = new ArrayList<>();

  public RecordingPlatform(ServicePlatform real) {
    this.real = real;
  }

  /** The calls so far: "stage d-2 -> rev", "observe rev: READY (detail)", "split rev 10". */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  private synchronized void log(String call) {
    calls.add(call);
  }

  @Override
  public String name() {
    return real.name();
  }

  @Override
  public List<String> validate(TargetSpec target) {
    return real.validate(target);
  }

  @Override
  public ServiceState describe(TargetSpec target) throws PlatformException {
    return real.describe(target);
  }

  @Override
  public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    Revision r = real.rollOut(target, deploymentId, image);
    log("rollOut " + deploymentId + " -> " + r.id());
    return r;
  }

  @Override
  public boolean splitsTraffic() {
    return real.splitsTraffic();
  }

  @Override
  public Revision stage(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    Revision r = real.stage(target, deploymentId, image);
    log("stage " + deploymentId + " -> " + r.id());
    return r;
  }

  @Override
  public void split(TargetSpec target, String revision, String stable, int percent)
      throws PlatformException {
    real.split(target, revision, stable, percent);
    log("split " + revision + " " + percent);
  }

  @Override
  public RolloutStatus observe(TargetSpec target, String revision) throws PlatformException {
    RolloutStatus s = real.observe(target, revision);
    log("observe " + revision + ": " + s.state() + " (" + s.detail() + ")");
    return s;
  }

  @Override
  public void restore(TargetSpec target, String revision) throws PlatformException {
    real.restore(target, revision);
    log("restore " + revision);
  }

  @Override
  public void retire(TargetSpec target, String serving) throws PlatformException {
    real.retire(target, serving);
    log("retire " + serving);
  }

  @Override
  public List<Change> plan(TargetSpec target, ImageRef image) throws PlatformException {
    return real.plan(target, image);
  }
}
