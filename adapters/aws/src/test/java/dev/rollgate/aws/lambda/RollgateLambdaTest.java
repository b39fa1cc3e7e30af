package dev.rollgate.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.assembly.LazyRollgate;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.context.support.GenericApplicationContext;

class RollgateLambdaTest {

  @Test
  void initialize_shouldRegisterEveryFunctionAndBuildNothing_whenTheContextStarts() {
    // GIVEN a context with no manifest, ledger or AWS endpoint configured
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      // WHEN the initializer registers its beans and the context refreshes (Lambda's init phase)
      new RollgateLambda().initialize(context);
      context.refresh();

      // THEN every function is registered by name, and the core is not assembled yet (a
      // SnapStart snapshot taken now holds no connection, credential or lease owner)
      assertEquals(
          Set.copyOf(RollgateLambda.FUNCTIONS),
          Set.of(context.getBeanNamesForType(FunctionRegistration.class)));
      assertFalse(context.getBean(LazyRollgate.class).isAssembled());
      assertTrue(RollgateLambda.ENVIRONMENT.contains(RollgateLambda.ENV_LEDGER_URL));
    }
  }
}
