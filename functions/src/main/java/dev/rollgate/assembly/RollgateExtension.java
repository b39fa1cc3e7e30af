package dev.rollgate.assembly;

import dev.rollgate.core.manifest.Manifest;

/**
 * What an adapter adds to rollgate (platforms, job runners, secret schemes, manifest sources,
 * backup stores, a ledger database), found through {@link java.util.ServiceLoader} by every entry
 * point: the Spring host, the Lambda handler, the Cloud Functions and Azure Functions entries.
 * Register an implementation in {@code META-INF/services/dev.rollgate.assembly.RollgateExtension}.
 */
public interface RollgateExtension {

  /**
   * The adapter's name ({@code local}, {@code aws}, ...); setting {@code rollgate.<name>.enabled}
   * to {@code false} leaves it out.
   */
  String name();

  /**
   * Whether it takes part when {@code rollgate.<name>.enabled} is not set (default true; the
   * embedded default, which starts a database server, waits to be asked).
   */
  default boolean enabledByDefault() {
    return true;
  }

  /**
   * Contributes what needs no manifest: secret resolvers, manifest sources, the ledger's database,
   * backup store schemes. Build nothing expensive here (no network): clients are built on first
   * use, so that an entry point can assemble on its first invocation and close on failure.
   */
  default void beforeManifest(Contributions contributions) {}

  /** Contributes what works on the manifest's apps: platforms, job runners, backup stores. */
  default void withManifest(Manifest manifest, Contributions contributions) {}
}
