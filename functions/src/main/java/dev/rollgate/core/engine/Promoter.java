package dev.rollgate.core.engine;

import static dev.rollgate.core.engine.PromotionException.Reason.BAD_REQUEST;
import static dev.rollgate.core.engine.PromotionException.Reason.FORBIDDEN;
import static dev.rollgate.core.engine.PromotionException.Reason.NOT_FOUND;
import static dev.rollgate.core.engine.PromotionException.Reason.NOT_PROMOTABLE;
import static dev.rollgate.core.engine.PromotionException.Reason.UNAUTHENTICATED;

import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.PromotionPolicy;
import dev.rollgate.core.manifest.SecretReferences;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.events.ImageReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Manual promotion from one environment to the next: only a digest that SUCCEEDED in the source may
 * go, and a digest known to be bad in the target only with an explicit, allowed override. Every
 * promotion is recorded with who asked.
 */
public final class Promoter {

  /**
   * What a caller asks for.
   *
   * @param digest the digest to promote, or null when {@code deployment} names it
   * @param deployment id of a SUCCEEDED deployment in {@code from}, or null
   * @param by who asks, recorded in the ledger
   * @param idempotencyKey the caller's key, so that a retried request promotes once; or null
   * @param tag the image's tag, for an override of a digest whose tag the ledger does not know; or
   *     null
   */
  public record Request(
      String app,
      String from,
      String to,
      String digest,
      String deployment,
      boolean override,
      String by,
      String idempotencyKey,
      String tag) {}

  /** How many deployments per environment are searched for a digest's tag. */
  private static final int HISTORY = 1000;

  private final Manifest manifest;
  private final Ledger ledger;
  private final SecretResolver secrets;
  private final Clock clock;

  public Promoter(Manifest manifest, Ledger ledger, SecretResolver secrets, Clock clock) {
    this.manifest = manifest;
    this.ledger = ledger;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** Checks the caller's token in constant time; the token itself is never logged. */
  public void authenticate(String presented) throws PromotionException {
    PromotionPolicy policy = manifest.promotion();
    if (presented == null || presented.isBlank()) {
      throw new PromotionException(
          UNAUTHENTICATED, "no token: send 'Authorization: Bearer <token>'");
    }
    if (policy == null || policy.token() == null) {
      throw new PromotionException(
          FORBIDDEN, "promotion is disabled: rollgate.yaml sets no promotion.token");
    }
    if (!SecretReferences.isReference(policy.token(), secrets.schemes())) {
      // Never echoed: a value no resolver reads may be the secret itself.
      throw new PromotionException(
          FORBIDDEN,
          "promotion is disabled: "
              + SecretReferences.notAReference("promotion.token", secrets.schemes()));
    }
    String expected =
        secrets
            .resolve(policy.token())
            .orElseThrow(
                () ->
                    new PromotionException(
                        FORBIDDEN,
                        "promotion is disabled: secret " + policy.token() + " is not set"));
    if (!MessageDigest.isEqual(sha256(presented), sha256(expected))) {
      throw new PromotionException(FORBIDDEN, "wrong token");
    }
  }

  /** Checks the rules and records the promotion as a pending deployment in {@code to}. */
  public Deployment promote(Request r) throws PromotionException {
    for (String[] field : new String[][] {{"app", r.app()}, {"from", r.from()}, {"to", r.to()}}) {
      if (field[1] == null || field[1].isBlank()) {
        throw new PromotionException(BAD_REQUEST, "$." + field[0] + ": missing");
      }
    }
    if ((r.digest() == null) == (r.deployment() == null)) {
      throw new PromotionException(BAD_REQUEST, "name either $.digest or $.deployment");
    }
    if (r.digest() != null && !ImageReference.isDigest(r.digest())) {
      throw new PromotionException(
          BAD_REQUEST, "$.digest: not a sha256 digest (" + ImageReference.DIGEST_RULE + ")");
    }
    if (r.tag() != null && !ImageReference.isTag(r.tag())) {
      throw new PromotionException(
          BAD_REQUEST, "$.tag: not an image tag (" + ImageReference.TAG_RULE + ")");
    }
    AppSpec app =
        manifest
            .app(r.app())
            .orElseThrow(() -> new PromotionException(NOT_FOUND, "unknown app '" + r.app() + "'"));
    EnvironmentSpec from = environment(app, r.from());
    EnvironmentSpec to = environment(app, r.to());
    checkEdge(app, from, to);
    boolean override = r.override();
    if (override && !manifest.promotion().allowOverride()) {
      throw new PromotionException(
          NOT_PROMOTABLE, "override asked for but promotion.allowOverride is false");
    }
    Optional<Deployment> source = source(r, app);
    if (source.isEmpty() && !override) {
      throw new PromotionException(
          NOT_PROMOTABLE,
          (r.digest() != null ? r.digest() : "deployment " + r.deployment())
              + " has not SUCCEEDED in "
              + from.name());
    }
    if (source.isEmpty() && r.digest() == null) {
      throw new PromotionException(
          NOT_PROMOTABLE,
          "deployment "
              + r.deployment()
              + " did not SUCCEED in "
              + from.name()
              + "; to override, name its $.digest");
    }
    ImageRef image = source.map(Deployment::image).orElse(null);
    if (image == null) {
      image =
          new ImageRef(
              app.image().registry(),
              app.image().repository(),
              knownTag(app, r.digest()).orElse(r.tag()),
              r.digest());
    }
    if (image.digest() == null) {
      throw new PromotionException(NOT_PROMOTABLE, "the source deployment has no digest");
    }
    if (r.tag() != null && image.tag() != null && !image.tag().equals(r.tag())) {
      throw new PromotionException(
          BAD_REQUEST,
          "$.tag: "
              + image.digest()
              + " was deployed as tag "
              + image.tag()
              + ", not "
              + r.tag()
              + "; leave $.tag out");
    }
    if (image.tag() == null) {
      Optional<String> needs = Placeholders.needsTag(app.name(), to);
      if (needs.isPresent()) {
        throw new PromotionException(
            NOT_PROMOTABLE,
            needs.get()
                + " uses {tag}, and rollgate never deployed "
                + image.digest()
                + " with a tag; send \"tag\" in the request");
      }
    }
    if (!override && ledger.isKnownBad(app.name(), to.name(), image.digest())) {
      throw new PromotionException(NOT_PROMOTABLE, KnownBad.reason(image.digest(), to.name()));
    }
    String by = r.by() == null || r.by().isBlank() ? "token holder" : r.by();
    var now = clock.now();
    Deployment d =
        Deployment.builder()
            .id(UUID.randomUUID().toString())
            .app(app.name())
            .environment(to.name())
            .image(image)
            .pushedAt(now)
            .createdAt(now)
            .updatedAt(now)
            .triggerKey(null)
            .requestedBy("promote:" + by)
            .override(override)
            .promotedFrom(from.name())
            .detail(
                "promoted from " + from.name() + " by " + by + (override ? " with override" : ""))
            .build();
    String key =
        "promote:" + (r.idempotencyKey() == null ? d.id() : app.name() + ":" + r.idempotencyKey());
    d = d.toBuilder().triggerKey(key).build();
    if (to.isRelease()) {
      // One version drives the whole release: each service runs what the source's same service ran.
      try {
        d = d.toBuilder().parts(ReleaseImages.promoted(to, image, source)).build();
      } catch (IllegalArgumentException e) {
        throw new PromotionException(NOT_PROMOTABLE, e.getMessage());
      }
    }
    Optional<List<Deployment>> recorded = ledger.record(key, "promote", now, List.of(d));
    if (recorded.isEmpty()) {
      throw new PromotionException(
          NOT_PROMOTABLE, "idempotency key '" + r.idempotencyKey() + "' was used before");
    }
    return recorded.get().get(0);
  }

  /** Only the manifest's edges: {@code from}, or the environment listed before (see AppSpec). */
  private static void checkEdge(AppSpec app, EnvironmentSpec from, EnvironmentSpec to)
      throws PromotionException {
    Optional<String> allowed = app.promotionSource(to);
    if (allowed.isEmpty()) {
      throw new PromotionException(
          NOT_PROMOTABLE,
          "nothing is promoted into "
              + to.name()
              + ": it is the first environment of "
              + app.name()
              + " and names no from");
    }
    if (!allowed.get().equals(from.name())) {
      throw new PromotionException(
          NOT_PROMOTABLE,
          to.name() + " is promoted from " + allowed.get() + ", not " + from.name());
    }
  }

  /** The tag any earlier deployment of {@code digest} in this app carried. */
  private Optional<String> knownTag(AppSpec app, String digest) {
    for (EnvironmentSpec env : app.environments()) {
      for (Deployment d : ledger.deployments(app.name(), env.name(), HISTORY)) {
        if (digest.equals(d.image().digest()) && d.image().tag() != null) {
          return Optional.of(d.image().tag());
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Deployment> source(Request r, AppSpec app) throws PromotionException {
    if (r.deployment() != null) {
      Deployment d =
          ledger
              .find(r.deployment())
              .orElseThrow(
                  () ->
                      new PromotionException(
                          NOT_FOUND, "unknown deployment '" + r.deployment() + "'"));
      boolean ok =
          d.app().equals(app.name())
              && d.environment().equals(r.from())
              && d.phase() == dev.rollgate.core.model.Phase.SUCCEEDED;
      return ok ? Optional.of(d) : Optional.empty();
    }
    return ledger.lastSucceeded(app.name(), r.from(), r.digest());
  }

  private static EnvironmentSpec environment(AppSpec app, String name) throws PromotionException {
    return app.environment(name)
        .orElseThrow(
            () ->
                new PromotionException(
                    NOT_FOUND, "app '" + app.name() + "' has no environment '" + name + "'"));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
