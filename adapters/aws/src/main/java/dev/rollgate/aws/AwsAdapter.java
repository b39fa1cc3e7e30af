package dev.rollgate.aws;

import dev.rollgate.core.manifest.ManifestSource;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
import java.util.Objects;
import org.flywaydb.locations.s3.S3ClientFactory;

/**
 * Builds rollgate's AWS adapters from one set of {@link AwsSettings}: the ECS platform, ECS RunTask
 * migration jobs, the Secrets Manager secret resolver, manifests from S3, and the S3 client of
 * Flyway's {@code s3:} locations. They share SDK clients, each built on first use; {@link #close()}
 * closes them.
 */
public final class AwsAdapter implements AutoCloseable {

  private final AwsClients clients;
  private final EcsApi ecs;
  private final ReleaseTaskDefinitions releases;

  public AwsAdapter(AwsSettings settings) {
    this(new AwsClients(Objects.requireNonNull(settings, "settings")));
  }

  /** Adapters whose SDK clients all send through {@code clients} ({@link AwsPriming}). */
  AwsAdapter(AwsClients clients) {
    this.clients = clients;
    this.ecs = new EcsApi(clients);
    this.releases =
        new ReleaseTaskDefinitions(ecs, clients.settings().revisionScan(), clients.madeUp());
  }

  public AwsSettings settings() {
    return clients.settings();
  }

  /** The {@code ecs} platform. */
  public ServicePlatform ecsPlatform() {
    return new EcsPlatform(ecs, releases);
  }

  /**
   * The {@code ecs} platform's job runner: runs a release's {@code job:} migration as a task of the
   * release's task definition on the environment's ECS target (from the runner's context).
   */
  public MigrationRunner ecsJobRunner(Clock clock) {
    return new EcsTaskMigrationRunner(
        ecs,
        releases,
        Objects.requireNonNull(clock, "clock"),
        settings().taskPoll(),
        settings().taskTimeout());
  }

  /** The resolver of {@code aws-sm:} secret references. */
  public SecretResolver secretsManagerSecretResolver() {
    return new SecretsManagerSecretResolver(clients);
  }

  /**
   * The backup store at {@code s3://bucket/prefix}; its S3 client is built on first use.
   *
   * @throws IllegalArgumentException when {@code s3Url} is not an {@code s3://} URL
   */
  public BackupStore s3BackupStore(String s3Url) {
    return S3BackupStore.of(() -> clients.s3(null), s3Url);
  }

  /** Manifests at {@code s3://bucket/key}, read with this adapter's S3 client. */
  public ManifestSource s3ManifestSource() {
    return new S3ManifestSource(clients);
  }

  /**
   * Makes Flyway's {@code s3:} locations use this adapter's S3 client (endpoint, timeouts, retries)
   * instead of a default client per call. Flyway keeps it in a static field, so the last adapter to
   * call this wins; the client itself is built when Flyway first needs it.
   */
  public void installFlywayS3Client() {
    S3ClientFactory.setClient(new FlywayS3Client(() -> clients.s3(null)));
  }

  /** How many SDK clients were built so far. */
  int clientsBuilt() {
    return clients.built();
  }

  @Override
  public void close() {
    clients.close();
  }
}
