package dev.rollgate.aws.lambda;

import org.springframework.boot.Banner;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Starts {@link LambdaPriming} the moment Spring Boot starts in a rollgate Lambda ({@code
 * MAIN_CLASS}, a system property or environment variable, is {@link RollgateLambda}), about 0.4 s
 * before Spring calls rollgate's initializer, so that it runs beside all of Spring's start; and
 * keeps Spring's banner and startup details out of the function's log. Registered in {@code
 * META-INF/spring.factories} (Spring reads that file anyway); in any other Spring application it
 * does nothing.
 */
public final class LambdaPrimingListener implements ApplicationListener<ApplicationStartingEvent> {

  @Override
  public void onApplicationEvent(ApplicationStartingEvent event) {
    String main = System.getProperty(RollgateLambda.ENV_MAIN_CLASS);
    if (!RollgateLambda.MAIN_CLASS.equals(
        main != null ? main : System.getenv(RollgateLambda.ENV_MAIN_CLASS))) {
      return;
    }
    String manifest = System.getProperty("rollgate.manifest");
    LambdaPriming.start(
        System.getenv(LambdaPriming.ENV_PRIMING),
        manifest != null ? manifest : System.getenv(RollgateLambda.ENV_MANIFEST),
        null);
    // Each cold start would print Spring's banner and JVM details into the function's log.
    event.getSpringApplication().setBannerMode(Banner.Mode.OFF);
    event.getSpringApplication().setLogStartupInfo(false);
  }
}
