package dev.rollgate.spring;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.Rollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.assembly.Settings;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

/**
 * rollgate in a Spring Boot application: the one assembly ({@link RollgateAssembler}) over the
 * extensions on the class path, Spring's environment as its settings ({@code rollgate.manifest},
 * {@code rollgate.ledger-url}, ... or their environment variables), plus any {@link
 * ServicePlatform}, {@link MigrationRunner} and {@link SecretResolver} beans of the application;
 * and the functions {@code imagePushed}, {@code webhook}, {@code promote}, {@code reconcile},
 * {@code status}, {@code backup} and {@code verifyBackup} as Spring Cloud Function beans. rollgate
 * is assembled when the context starts, so that a wrong manifest or setting stops the start.
 */
@AutoConfiguration
public class RollgateAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Rollgate rollgate(
      Environment env,
      ObjectProvider<ServicePlatform> platforms,
      ObjectProvider<MigrationRunner> runners,
      ObjectProvider<SecretResolver> secrets,
      ObjectProvider<Clock> clock,
      ObjectProvider<HealthProbe> probe,
      ObjectProvider<Notifier> notifier) {
    List<RollgateExtension> extensions = new ArrayList<>(RollgateAssembler.installed());
    extensions.add(new ApplicationBeans(platforms, runners, secrets));
    RollgateAssembler assembler =
        RollgateAssembler.of(Settings.of(env::getProperty)).extensions(extensions);
    clock.ifAvailable(assembler::clock);
    probe.ifAvailable(assembler::probe);
    notifier.ifAvailable(assembler::notifier);
    return assembler.assemble();
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> imagePushed(Rollgate rollgate) {
    return function("imagePushed", rollgate);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> webhook(Rollgate rollgate) {
    return function("webhook", rollgate);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> promote(Rollgate rollgate) {
    return function("promote", rollgate);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> abort(Rollgate rollgate) {
    return function("abort", rollgate);
  }

  /** What an event would do, changing nothing, with the promotion token (see ADR 0018). */
  @Bean
  public Function<Message<byte[]>, Message<String>> plan(Rollgate rollgate) {
    return function("plan", rollgate);
  }

  /** The plan without the token, for the local host's loopback {@code POST /plan}. */
  @Bean
  public Function<Message<byte[]>, Message<String>> localPlan(Rollgate rollgate) {
    return function("localPlan", rollgate);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> reconcile(Rollgate rollgate) {
    return function("reconcile", rollgate);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> status(Rollgate rollgate) {
    return function("status", rollgate);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> backup(Rollgate rollgate) {
    return function("backup", rollgate);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> verifyBackup(Rollgate rollgate) {
    return function("verifyBackup", rollgate);
  }

  private static Function<Message<byte[]>, Message<String>> function(
      String name, Rollgate rollgate) {
    return RollgateAssembly.function(name, rollgate::api, rollgate::backups);
  }

  /** The application's own platform, runner and secret resolver beans, as an extension. */
  private record ApplicationBeans(
      ObjectProvider<ServicePlatform> platforms,
      ObjectProvider<MigrationRunner> runners,
      ObjectProvider<SecretResolver> secrets)
      implements RollgateExtension {

    @Override
    public String name() {
      return "application";
    }

    @Override
    public void beforeManifest(Contributions c) {
      secrets.orderedStream().forEach(c::secretResolver);
    }

    @Override
    public void withManifest(dev.rollgate.core.manifest.Manifest manifest, Contributions c) {
      platforms.orderedStream().forEach(c::platform);
      runners.orderedStream().forEach(c::migrationRunner);
    }
  }
}
