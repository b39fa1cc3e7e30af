package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The harness fails loudly, never skips, when moto cannot be imported. */
class MotoServerTest {

  @Test
  void requireMoto_shouldFailWithTheInstallCommand_whenPythonCannotImportMoto() {
    // GIVEN a "python" that fails every import, as one without moto does
    String python = "false";

    // WHEN
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> MotoServer.requireMoto(python));

    // THEN
    assertTrue(
        e.getMessage().startsWith("moto is not installed: pip install 'moto[server]'==5.2.1"),
        e.getMessage());
  }

  @Test
  void requireMoto_shouldFailWithTheInstallCommand_whenThereIsNoPython() {
    // GIVEN
    String python = "python3-that-does-not-exist";

    // WHEN
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> MotoServer.requireMoto(python));

    // THEN
    assertTrue(e.getMessage().startsWith(MotoServer.INSTALL), e.getMessage());
    assertTrue(e.getMessage().contains("no python3 on the PATH"), e.getMessage());
  }
}
