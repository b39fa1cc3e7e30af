package dev.rollgate.aws;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.spring.RollgateAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers the AWS adapters when {@code rollgate.aws.enabled} is true: the {@code ecs} platform,
 * {@code ecs-task} migrations, {@code aws-sm:} secrets, Flyway's {@code s3:} client, and the
 * manifest when {@code rollgate.manifest} is an {@code s3://} location, and the backup store when
 * {@code rollgate.aws.backup-store} is an {@code s3://bucket/prefix}. Settings: {@code
 * rollgate.aws.region}, {@code rollgate.aws.endpoint} (both optional: the SDK reads {@code
 * AWS_REGION} and {@code AWS_ENDPOINT_URL} itself), {@code rollgate.aws.task-poll} and {@code
 * rollgate.aws.task-timeout} (ISO-8601, default PT5S and PT10M). No SDK client is built here: each
 * is built on first use.
 */
@AutoConfiguration(before = RollgateAutoConfiguration.class)
@ConditionalOnProperty(name = "rollgate.aws.enabled", havingValue = "true")
public class AwsAutoConfiguration {

  @Bean(destroyMethod = "close")
  public AwsAdapter rollgateAwsAdapter(Environment env) {
    AwsAdapter adapter = new AwsAdapter(AwsSettings.from(env::getProperty));
    adapter.installFlywayS3Client();
    return adapter;
  }

  @Bean
  @ConditionalOnMissingBean(Manifest.class)
  @ConditionalOnExpression("'${rollgate.manifest:}'.startsWith('s3://')")
  public Manifest rollgateS3Manifest(AwsAdapter aws, Environment env) {
    return aws.loadManifest(env.getProperty("rollgate.manifest"), null);
  }

  @Bean
  @ConditionalOnMissingBean(BackupStore.class)
  @ConditionalOnExpression("'${rollgate.aws.backup-store:}'.startsWith('s3://')")
  public BackupStore rollgateS3BackupStore(AwsAdapter aws, Environment env) {
    return aws.s3BackupStore(env.getProperty("rollgate.aws.backup-store").trim());
  }

  @Bean
  public ServicePlatform ecsPlatform(AwsAdapter aws) {
    return aws.ecsPlatform();
  }

  @Bean
  public MigrationRunner ecsTaskMigrationRunner(
      AwsAdapter aws, ObjectProvider<Manifest> manifest, ObjectProvider<Clock> clock) {
    return aws.ecsTaskMigrationRunner(manifest::getObject, clock.getIfAvailable(Clock::system));
  }

  @Bean
  public SecretResolver secretsManagerSecretResolver(AwsAdapter aws) {
    return aws.secretsManagerSecretResolver();
  }
}
