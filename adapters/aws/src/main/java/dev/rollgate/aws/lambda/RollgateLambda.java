package dev.rollgate.aws.lambda;

import dev.rollgate.assembly.LazyRollgate;
import dev.rollgate.assembly.Settings;
import dev.rollgate.spring.RollgateAssembly;
import java.util.List;
import java.util.function.Function;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;

/**
 * rollgate's AWS Lambda entry: Spring Cloud Function's {@link #HANDLER} starts with this class as
 * {@code MAIN_CLASS} and, because it is an initializer, registers the beans below functionally (no
 * classpath scanning, no auto-configuration); {@code SPRING_CLOUD_FUNCTION_DEFINITION} picks the
 * function. While Spring starts, {@link LambdaPriming} loads what the first invocation needs. The
 * core and the AWS adapters are assembled on the first invocation ({@link LazyRollgate}), which
 * keeps a SnapStart snapshot free of connections and identities. This is the entry for teams that
 * run rollgate in their own Spring application; {@link RollgateHandler} is the default, with the
 * same functions and no Spring Boot start.
 */
public final class RollgateLambda
    implements ApplicationContextInitializer<GenericApplicationContext> {

  /**
   * Spring Cloud Function's Lambda handler, which starts Spring Boot with this class; the default
   * handler is {@link RollgateHandler#HANDLER}.
   */
  public static final String HANDLER =
      "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";

  /** The Java runtimes the artifact is built and tested for (class files are Java 17). */
  public static final List<String> RUNTIMES = List.of("java17", "java21");

  /** The functions, one Lambda each; the value of {@link #ENV_FUNCTION_DEFINITION}. */
  public static final List<String> FUNCTIONS = RollgateAssembly.FUNCTION_NAMES;

  /** Environment variable choosing the function of a Lambda. */
  public static final String ENV_FUNCTION_DEFINITION = "SPRING_CLOUD_FUNCTION_DEFINITION";

  /** Environment variable naming this class, so the invoker registers beans functionally. */
  public static final String ENV_MAIN_CLASS = "MAIN_CLASS";

  /** Environment variable with the manifest's location: a path, classpath: or s3://bucket/key. */
  public static final String ENV_MANIFEST = "ROLLGATE_MANIFEST";

  /** Environment variable with the ledger's PostgreSQL JDBC URL (credentials included). */
  public static final String ENV_LEDGER_URL = "ROLLGATE_LEDGER_URL";

  /**
   * Environment variable with the backup store, {@code s3://bucket/prefix}; when empty {@code
   * backup} and {@code verifyBackup} answer that backups are not installed.
   */
  public static final String ENV_BACKUP_STORE = "ROLLGATE_BACKUP_STORE";

  /**
   * Set by Lambda: {@code on-demand}, {@code provisioned-concurrency} or {@code snap-start}; with
   * {@code snap-start} initialisation waits for priming, so that the snapshot holds what it loaded.
   */
  public static final String ENV_INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

  /** Environment variable; {@code off} turns off priming while an instance initialises. */
  public static final String ENV_PRIMING = LambdaPriming.ENV_PRIMING;

  /**
   * Every environment variable a rollgate Lambda needs ({@link #ENV_MAIN_CLASS} too, with {@link
   * #HANDLER} instead of {@link RollgateHandler}).
   */
  public static final List<String> ENVIRONMENT =
      List.of(ENV_FUNCTION_DEFINITION, ENV_MANIFEST, ENV_LEDGER_URL, ENV_BACKUP_STORE);

  /** The value of {@link #ENV_MAIN_CLASS}. */
  public static final String MAIN_CLASS = "dev.rollgate.aws.lambda.RollgateLambda";

  /**
   * What every function takes and returns: the raw event, an HTTP-style answer whose body is bytes
   * (JSON, or the status page's HTML).
   */
  static final ResolvableType FUNCTION_TYPE =
      ResolvableType.forClassWithGenerics(
          Function.class,
          ResolvableType.forClassWithGenerics(Message.class, byte[].class),
          ResolvableType.forClassWithGenerics(Message.class, byte[].class));

  @Override
  public void initialize(GenericApplicationContext context) {
    Settings settings = Settings.of(context.getEnvironment()::getProperty);
    // Started already as Spring started (LambdaPrimingListener); with SnapStart, waits for it.
    LambdaPriming.start(
        System.getenv(LambdaPriming.ENV_PRIMING),
        settings.get("rollgate.manifest"),
        settings.get(ENV_INITIALIZATION_TYPE));
    LazyRollgate rollgate = LazyRollgate.of(RollgateHandler.assembler(settings));
    context.registerBean(
        "rollgate", LazyRollgate.class, () -> rollgate, d -> d.setDestroyMethodName("close"));
    for (String name : FUNCTIONS) {
      context.registerBean(
          name,
          FunctionRegistration.class,
          () ->
              new FunctionRegistration<>(RollgateHandler.function(name, rollgate), name)
                  .type(FUNCTION_TYPE.getType()));
    }
  }
}
