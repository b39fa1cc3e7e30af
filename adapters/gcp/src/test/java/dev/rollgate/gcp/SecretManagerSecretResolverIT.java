package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretVersionName;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.gcp.emulator.GcpEmulator;
import dev.rollgate.gcp.emulator.SecretManagerSetup;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code gcp-sm:} references resolve to, and what their failures say, through Google's client
 * against the Secret Manager fake: versions, the default project, disabled and destroyed versions,
 * denied access, malformed references. No message holds a value.
 */
class SecretManagerSecretResolverIT {

  private static final String PROJECT = "rollgate-it";
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static GcpEmulator emulator;
  private static GcpClients clients;
  private static SecretManagerServiceClient setup;
  private static SecretManagerSecretResolver resolver;

  @BeforeAll
  static void start() throws Exception {
    emulator = GcpEmulator.onPort(0);
    clients =
        new GcpClients(
            GcpSettings.defaults().withEmulatorHost(emulator.host()).withProject(PROJECT));
    setup = SecretManagerSetup.client(clients);
    resolver = new SecretManagerSecretResolver(clients);
  }

  @AfterAll
  static void stop() throws Exception {
    resolver.close();
    setup.close();
    clients.close();
    emulator.close();
  }

  private static String fresh() {
    return "secret-" + NAMES.incrementAndGet();
  }

  private static SecretRef ref(String name) {
    return new SecretRef("gcp-sm", name);
  }

  @Test
  void resolve_shouldReadTheNewestVersionOrTheNamedOne_whenTheSecretHasTwo() {
    // GIVEN a secret with versions 1 and 2
    String name = fresh();
    SecretManagerSetup.create(setup, PROJECT, name, "first");
    SecretManagerSetup.addVersion(setup, PROJECT, name, "second");
    String full = "projects/" + PROJECT + "/secrets/" + name;

    // WHEN / THEN no version and latest read 2, versions/1 reads 1, versions/3 is absent
    assertEquals(Optional.of("second"), resolver.resolve(ref(full)));
    assertEquals(Optional.of("second"), resolver.resolve(ref(full + "/versions/latest")));
    assertEquals(Optional.of("first"), resolver.resolve(ref(full + "/versions/1")));
    assertEquals(Optional.empty(), resolver.resolve(ref(full + "/versions/3")));
  }

  @Test
  void resolve_shouldUseTheConfiguredProject_whenTheReferenceNamesOnlyTheSecret() {
    // GIVEN a secret in the project rollgate.gcp.project names
    String name = fresh();
    SecretManagerSetup.create(setup, PROJECT, name, "short");

    // WHEN / THEN gcp-sm:NAME and gcp-sm:NAME/versions/1 find it there
    assertEquals(Optional.of("short"), resolver.resolve(ref(name)));
    assertEquals(Optional.of("short"), resolver.resolve(ref(name + "/versions/1")));
  }

  @Test
  void resolve_shouldSayToSetTheProject_whenTheReferenceNamesNoneAndNoneIsSet() {
    // GIVEN a resolver with no project
    SecretManagerSecretResolver noProject =
        new SecretManagerSecretResolver(new GcpClients(GcpSettings.defaults()));

    // WHEN
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> noProject.resolve(ref("ledger-url")));

    // THEN
    assertTrue(e.getMessage().contains("gcp-sm:ledger-url"), e.getMessage());
    assertTrue(e.getMessage().contains("rollgate.gcp.project"), e.getMessage());
    assertTrue(e.getMessage().contains("projects/PROJECT/secrets/ledger-url"), e.getMessage());
  }

  @Test
  void resolve_shouldNameTheFormsAndTheReference_whenTheReferenceIsMalformed() {
    // GIVEN / WHEN references Secret Manager could not name
    for (String bad :
        new String[] {"projects/p/secrets/", "projects/p/secret/x", "x/versions/0", "a b"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> resolver.resolve(ref(bad)));

      // THEN the error names the reference and the forms it takes
      assertTrue(e.getMessage().contains("gcp-sm:" + bad), e.getMessage());
      assertTrue(e.getMessage().contains("gcp-sm:projects/PROJECT/secrets/NAME"), e.getMessage());
    }
  }

  @Test
  void resolve_shouldSayToEnableIt_whenTheLatestVersionIsDisabled() {
    // GIVEN a secret whose newest version was disabled (latest does not fall back to version 1)
    String name = fresh();
    SecretManagerSetup.create(setup, PROJECT, name, "old-value");
    String v2 = SecretManagerSetup.addVersion(setup, PROJECT, name, "hidden-value");
    setup.disableSecretVersion(SecretVersionName.parse(v2));

    // WHEN
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> resolver.resolve(ref(name)));

    // THEN it names the reference, the version asked for and the fix, never a value
    assertTrue(e.getMessage().contains("gcp-sm:" + name), e.getMessage());
    assertTrue(e.getMessage().contains(name + "/versions/latest"), e.getMessage());
    assertTrue(e.getMessage().contains("FAILED_PRECONDITION"), e.getMessage());
    assertTrue(e.getMessage().contains("enable it"), e.getMessage());
    assertFalse(e.getMessage().contains("value"), e.getMessage());
    assertEquals(Optional.of("old-value"), resolver.resolve(ref(name + "/versions/1")));
  }

  @Test
  void resolve_shouldFailNamingTheVersion_whenItWasDestroyed() {
    // GIVEN a destroyed version
    String name = fresh();
    SecretManagerSetup.create(setup, PROJECT, name, "gone-value");
    setup.destroySecretVersion(SecretVersionName.of(PROJECT, name, "1"));

    // WHEN
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> resolver.resolve(ref(name + "/versions/1")));

    // THEN
    assertTrue(e.getMessage().contains(name + "/versions/1"), e.getMessage());
    assertTrue(e.getMessage().contains("destroyed"), e.getMessage());
  }

  @Test
  void resolve_shouldSayWhichRoleToGrant_whenAccessIsDenied() {
    // GIVEN a secret the caller may not read
    String name = fresh();
    SecretManagerSetup.create(setup, PROJECT, name, SecretManagerSetup.accessDenied());
    SecretManagerSetup.addVersion(setup, PROJECT, name, "denied-value");

    // WHEN
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> resolver.resolve(ref(name)));

    // THEN
    assertTrue(e.getMessage().contains("gcp-sm:" + name), e.getMessage());
    assertTrue(e.getMessage().contains("PERMISSION_DENIED"), e.getMessage());
    assertTrue(e.getMessage().contains("roles/secretmanager.secretAccessor"), e.getMessage());
    assertFalse(e.getMessage().contains("denied-value"), e.getMessage());
    assertEquals(null, e.getCause());
  }
}
