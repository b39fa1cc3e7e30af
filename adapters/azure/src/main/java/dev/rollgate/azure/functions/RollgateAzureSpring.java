package dev.rollgate.azure.functions;

import dev.rollgate.assembly.LazyRollgate;
import dev.rollgate.assembly.Settings;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The documented alternative entry: Spring Cloud Function's Azure adapter (4.3.0). Add {@code
 * spring-cloud-function-adapter-azure} to the artifact and set the app setting {@code
 * MAIN_CLASS=dev.rollgate.azure.functions.RollgateAzureSpring}; the adapter's {@code
 * AzureFunctionInstanceInjector} (a service Azure's worker finds) then starts Spring Boot once per
 * worker and asks it for each function class's instance. This initializer registers, functionally,
 * rollgate (assembled on first use) and {@link RollgateAzureFunctions} over it: the same methods,
 * bindings and function.json, the instance built by Spring. The default needs none of this and
 * starts no Spring Boot (docs/adr/0009, 0013).
 */
public final class RollgateAzureSpring
    implements ApplicationContextInitializer<GenericApplicationContext> {

  /** The value of the {@code MAIN_CLASS} app setting for the alternative. */
  public static final String MAIN_CLASS = "dev.rollgate.azure.functions.RollgateAzureSpring";

  @Override
  public void initialize(GenericApplicationContext context) {
    Settings settings = Settings.of(context.getEnvironment()::getProperty);
    LazyRollgate rollgate = LazyRollgate.of(AzureEntry.assembler(settings));
    context.registerBean(
        "rollgate", LazyRollgate.class, () -> rollgate, d -> d.setDestroyMethodName("close"));
    context.registerBean(
        RollgateAzureFunctions.class, () -> new RollgateAzureFunctions(new AzureEntry(rollgate)));
  }
}
