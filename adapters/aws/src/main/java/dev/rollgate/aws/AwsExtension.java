package dev.rollgate.aws;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.core.manifest.Manifest;

/**
 * The AWS adapter's contributions to rollgate: {@code aws-sm:} secrets, manifests at {@code
 * s3://bucket/key}, backups at {@code s3://bucket/prefix}, Flyway's {@code s3:} locations, the
 * {@code ecs} platform and its {@code job:} migrations (one-off ECS tasks). Settings: {@code
 * rollgate.aws.region}, {@code rollgate.aws.endpoint} (both optional: the SDK reads {@code
 * AWS_REGION} and {@code AWS_ENDPOINT_URL} itself), {@code rollgate.aws.task-poll} and {@code
 * rollgate.aws.task-timeout} (ISO-8601, default PT5S and PT10M). No SDK client is built here: each
 * is built on first use.
 */
public final class AwsExtension implements RollgateExtension {

  private AwsAdapter aws;

  @Override
  public String name() {
    return "aws";
  }

  @Override
  public void beforeManifest(Contributions c) {
    aws = c.closeOnExit(new AwsAdapter(AwsSettings.from(c.settings()::get)));
    aws.installFlywayS3Client();
    c.flywayLocationScheme("s3");
    c.secretResolver(aws.secretsManagerSecretResolver());
    c.manifestSource(aws.s3ManifestSource());
    c.backupStoreScheme("s3", aws::s3BackupStore);
  }

  @Override
  public void withManifest(Manifest manifest, Contributions c) {
    c.platform(aws.ecsPlatform());
    c.migrationRunner(aws.ecsJobRunner(c.clock()));
  }
}
