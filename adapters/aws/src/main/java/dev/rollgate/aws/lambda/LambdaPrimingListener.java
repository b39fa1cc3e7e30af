package dev.rollgate.aws.lambda;

import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Starts {@link LambdaPriming} (and, but for SnapStart, rollgate's assembly) the moment Spring Boot
 * starts in a rollgate Lambda ({@code MAIN_CLASS} is {@link RollgateLambda}), about 0.4 s before
 * Spring calls rollgate's initializer, so that both run beside all of Spring's start. Registered in
 * {@code META-INF/spring.factories} (Spring reads that file anyway); in any other Spring
 * application it does nothing.
 */
public final class LambdaPrimingListener implements ApplicationListener<ApplicationStartingEvent> {

  @Override
  public void onApplicationEvent(ApplicationStartingEvent event) {
    if (RollgateLambda.MAIN_CLASS.equals(System.getenv(RollgateLambda.ENV_MAIN_CLASS))) {
      LambdaPriming.start(
          System.getenv(LambdaPriming.ENV_PRIMING),
          System.getenv(RollgateLambda.ENV_MANIFEST),
          null);
    }
  }
}
