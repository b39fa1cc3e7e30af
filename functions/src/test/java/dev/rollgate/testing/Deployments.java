package dev.rollgate.testing;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import java.time.Instant;
import java.util.UUID;

/** Test-data builders for deployments: {@code aDeployment().phase(...).build()}. */
public final class Deployments {

  /** The fixed instant every builder starts from; whole microseconds, as the ledger keeps them. */
  public static final Instant T0 = Instant.parse("2026-01-15T10:00:00.123456Z");

  private Deployments() {}

  /** A pending deployment of {@code localhost/demo/shop:v1} to shop/staging, with a random id. */
  public static Deployment.Builder aDeployment() {
    return Deployment.builder()
        .id(UUID.randomUUID().toString())
        .app("shop")
        .environment("staging")
        .image(image("v1", 1))
        .phase(Phase.PENDING)
        .pushedAt(T0)
        .createdAt(T0)
        .updatedAt(T0)
        .requestedBy("test");
  }

  /** {@code localhost/demo/shop:<tag>} pinned to {@link #digest(int) digest(n)}. */
  public static ImageRef image(String tag, int n) {
    return new ImageRef("localhost", "demo/shop", tag, digest(n));
  }

  /** A valid, deterministic sha256 digest: the same {@code n} always gives the same digest. */
  public static String digest(int n) {
    return "sha256:" + String.format("%064x", Integer.toUnsignedLong(n));
  }
}
