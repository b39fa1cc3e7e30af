package dev.rollgate.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One attempt to make an image serve in one environment of one app, and everything the engine has
 * learnt on the way. Immutable: the ledger stores each new version.
 *
 * @param id stable id, also the platform's idempotency key for the revision it creates
 * @param version optimistic-concurrency counter, bumped on every write
 * @param pushedAt when the image was pushed (orders deployments: an older image never replaces a
 *     newer one)
 * @param triggerKey the received-event key that created it
 * @param requestedBy who asked: the sender of the event, or the person who promoted
 * @param override an explicit promotion override of the known-bad rule
 * @param promotedFrom the environment it was promoted from, or null
 * @param active holds the app+environment's single active slot
 * @param previousRevision the revision that served before, recorded before the service is touched
 * @param revision the revision this deployment rolled out, once issued
 * @param serviceUrl the stable URL of the service
 * @param schemaVersion the schema version the migrations left
 * @param verifyStartedAt when the current verification (of the rollout or the rollback) began
 * @param successes consecutive healthy probes so far
 * @param failures consecutive unhealthy probes so far
 * @param restoredAt when the rollback restored the previous revision
 * @param detail the last thing worth telling a person
 * @param configurationFault it ended because of rollgate's configuration (the manifest, a secret it
 *     names), not because of the release: such an outcome never makes the digest known-bad
 * @param abortRequest a person's request to stop it, once the ledger recorded one; or null. Only
 *     {@link dev.rollgate.core.port.Ledger#requestAbort} sets it, and no save clears it
 * @param canary a canary release's progress (step, share, analysis), or null when it releases all
 *     at once
 * @param parts the services of a release of several ({@code services:}), in release order; empty
 *     for an environment of one service. While a release runs, {@code previousRevision}, {@code
 *     revision} and {@code serviceUrl} are those of the part being rolled out or restored
 */
public record Deployment(
    String id,
    String app,
    String environment,
    ImageRef image,
    Phase phase,
    long version,
    Instant pushedAt,
    Instant createdAt,
    Instant updatedAt,
    String triggerKey,
    String requestedBy,
    boolean override,
    String promotedFrom,
    boolean active,
    String previousRevision,
    String revision,
    String serviceUrl,
    String schemaVersion,
    Instant verifyStartedAt,
    int successes,
    int failures,
    Instant restoredAt,
    String detail,
    boolean configurationFault,
    AbortRequest abortRequest,
    CanaryProgress canary,
    List<ReleasePart> parts) {

  public Deployment {
    parts = parts == null ? List.of() : List.copyOf(parts);
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(pushedAt, "pushedAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** True once a rollout was issued: a failure from here on needs a rollback. */
  public boolean touchedService() {
    return revision != null;
  }

  /**
   * True when the deployment failed while it may have touched the service and still has to roll
   * back: a failure before the service was touched frees the slot at once.
   */
  public boolean needsRollback() {
    return (phase == Phase.FAILED || phase == Phase.ERRORED) && active;
  }

  /** True when it releases several services in order ({@link #parts}). */
  public boolean isRelease() {
    return !parts.isEmpty();
  }

  /** True when a person asked to stop it: the engine ends it ABORTED at its next step. */
  public boolean abortRequested() {
    return abortRequest != null;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builder for {@link Deployment}; every default is written where the field is declared. */
  public static final class Builder {
    private String id;
    private String app;
    private String environment;
    private ImageRef image;
    private Phase phase = Phase.PENDING;
    private long version = 0;
    private Instant pushedAt;
    private Instant createdAt;
    private Instant updatedAt;
    private String triggerKey;
    private String requestedBy = "unknown";
    private boolean override = false;
    private String promotedFrom;
    private boolean active = false;
    private String previousRevision;
    private String revision;
    private String serviceUrl;
    private String schemaVersion;
    private Instant verifyStartedAt;
    private int successes = 0;
    private int failures = 0;
    private Instant restoredAt;
    private String detail;
    private boolean configurationFault = false;
    private AbortRequest abortRequest;
    private CanaryProgress canary;
    private List<ReleasePart> parts = List.of();

    private Builder() {}

    private Builder(Deployment d) {
      id = d.id;
      app = d.app;
      environment = d.environment;
      image = d.image;
      phase = d.phase;
      version = d.version;
      pushedAt = d.pushedAt;
      createdAt = d.createdAt;
      updatedAt = d.updatedAt;
      triggerKey = d.triggerKey;
      requestedBy = d.requestedBy;
      override = d.override;
      promotedFrom = d.promotedFrom;
      active = d.active;
      previousRevision = d.previousRevision;
      revision = d.revision;
      serviceUrl = d.serviceUrl;
      schemaVersion = d.schemaVersion;
      verifyStartedAt = d.verifyStartedAt;
      successes = d.successes;
      failures = d.failures;
      restoredAt = d.restoredAt;
      detail = d.detail;
      configurationFault = d.configurationFault;
      abortRequest = d.abortRequest;
      canary = d.canary;
      parts = d.parts;
    }

    public Builder id(String v) {
      id = v;
      return this;
    }

    public Builder app(String v) {
      app = v;
      return this;
    }

    public Builder environment(String v) {
      environment = v;
      return this;
    }

    public Builder image(ImageRef v) {
      image = v;
      return this;
    }

    public Builder phase(Phase v) {
      phase = v;
      return this;
    }

    public Builder version(long v) {
      version = v;
      return this;
    }

    public Builder pushedAt(Instant v) {
      pushedAt = v;
      return this;
    }

    public Builder createdAt(Instant v) {
      createdAt = v;
      return this;
    }

    public Builder updatedAt(Instant v) {
      updatedAt = v;
      return this;
    }

    public Builder triggerKey(String v) {
      triggerKey = v;
      return this;
    }

    public Builder requestedBy(String v) {
      requestedBy = v;
      return this;
    }

    public Builder override(boolean v) {
      override = v;
      return this;
    }

    public Builder promotedFrom(String v) {
      promotedFrom = v;
      return this;
    }

    public Builder active(boolean v) {
      active = v;
      return this;
    }

    public Builder previousRevision(String v) {
      previousRevision = v;
      return this;
    }

    public Builder revision(String v) {
      revision = v;
      return this;
    }

    public Builder serviceUrl(String v) {
      serviceUrl = v;
      return this;
    }

    public Builder schemaVersion(String v) {
      schemaVersion = v;
      return this;
    }

    public Builder verifyStartedAt(Instant v) {
      verifyStartedAt = v;
      return this;
    }

    public Builder successes(int v) {
      successes = v;
      return this;
    }

    public Builder failures(int v) {
      failures = v;
      return this;
    }

    public Builder restoredAt(Instant v) {
      restoredAt = v;
      return this;
    }

    public Builder detail(String v) {
      detail = v;
      return this;
    }

    public Builder configurationFault(boolean v) {
      configurationFault = v;
      return this;
    }

    public Builder abortRequest(AbortRequest v) {
      abortRequest = v;
      return this;
    }

    public Builder canary(CanaryProgress v) {
      canary = v;
      return this;
    }

    public Builder parts(List<ReleasePart> v) {
      parts = v;
      return this;
    }

    public Deployment build() {
      return new Deployment(
          id,
          app,
          environment,
          image,
          phase,
          version,
          pushedAt,
          createdAt,
          updatedAt,
          triggerKey,
          requestedBy,
          override,
          promotedFrom,
          active,
          previousRevision,
          revision,
          serviceUrl,
          schemaVersion,
          verifyStartedAt,
          successes,
          failures,
          restoredAt,
          detail,
          configurationFault,
          abortRequest,
          canary,
          parts);
    }
  }
}
