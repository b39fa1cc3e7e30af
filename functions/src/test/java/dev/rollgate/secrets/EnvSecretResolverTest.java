package dev.rollgate.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvSecretResolverTest {

  private static final String VALUE = "jdbc:postgresql://db/shop?password=s3cr3t-value";

  private final EnvSecretResolver resolver =
      new EnvSecretResolver(Map.of("SHOP_DB_URL", VALUE, "EMPTY", "")::get);

  @Test
  void resolve_shouldReturnVariable_whenEnvReferenceIsSet() {
    // GIVEN a variable in the injected environment
    SecretRef ref = new SecretRef("env", "SHOP_DB_URL");

    // WHEN it is resolved
    Optional<String> value = resolver.resolve(ref);

    // THEN its value comes back unchanged
    assertEquals(Optional.of(VALUE), value);
  }

  @Test
  void resolve_shouldReturnEmpty_whenVariableIsUnsetOrEmpty() {
    // GIVEN one missing and one empty variable
    // WHEN they are resolved
    // THEN both count as absent
    assertEquals(Optional.empty(), resolver.resolve(new SecretRef("env", "MISSING")));
    assertEquals(Optional.empty(), resolver.resolve(new SecretRef("env", "EMPTY")));
  }

  @Test
  void resolve_shouldReadProcessEnvironment_whenBuiltWithoutLookup() {
    // GIVEN the no-arg resolver and a variable every process has
    EnvSecretResolver system = new EnvSecretResolver();

    // WHEN PATH is resolved
    Optional<String> value = system.resolve(new SecretRef("env", "PATH"));

    // THEN it matches the process environment
    assertEquals(Optional.ofNullable(System.getenv("PATH")), value);
  }

  @Test
  void resolve_shouldReadFileWithoutTrailingNewline_whenFileReferenceExists(@TempDir Path dir)
      throws Exception {
    // GIVEN a secret file written by `echo`, with a trailing newline, and one with CRLF
    Path file = dir.resolve("db-url");
    Files.writeString(file, VALUE + "\n", StandardCharsets.UTF_8);
    Path crlf = dir.resolve("token");
    Files.writeString(crlf, "  tok en  \r\n", StandardCharsets.UTF_8);

    // WHEN they are resolved
    Optional<String> value = resolver.resolve(new SecretRef("file", file.toString()));
    Optional<String> token = resolver.resolve(new SecretRef("file", crlf.toString()));

    // THEN only the line ending is removed
    assertEquals(Optional.of(VALUE), value);
    assertEquals(Optional.of("  tok en  "), token);
  }

  @Test
  void resolve_shouldReturnEmpty_whenFileDoesNotExistOrIsEmpty(@TempDir Path dir) throws Exception {
    // GIVEN a missing file and a file holding only a newline
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");

    // WHEN they are resolved
    // THEN both count as absent
    assertEquals(
        Optional.empty(), resolver.resolve(new SecretRef("file", dir.resolve("nope").toString())));
    assertEquals(Optional.empty(), resolver.resolve(new SecretRef("file", empty.toString())));
  }

  @Test
  void resolve_shouldNameReferenceButNotValue_whenFileIsUnreadable(@TempDir Path dir)
      throws Exception {
    // GIVEN a file reference that points at a directory, so reading it fails
    SecretRef ref = new SecretRef("file", dir.toString());

    // WHEN it is resolved
    RuntimeException e = assertThrows(RuntimeException.class, () -> resolver.resolve(ref));

    // THEN the message names the reference
    assertTrue(e.getMessage().contains("file:" + dir), e.getMessage());
  }

  @Test
  void resolve_shouldThrowNamingSchemes_whenSchemeIsNotEnvOrFile() {
    // GIVEN a reference for another store
    SecretRef ref = new SecretRef("vault", "shop/db");

    // WHEN it is resolved
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> resolver.resolve(ref));

    // THEN the message names the schemes this resolver knows, not the value (it may be a secret)
    assertFalse(e.getMessage().contains("shop/db"), e.getMessage());
    assertTrue(e.getMessage().contains("env, file"), e.getMessage());
  }

  @Test
  void composite_shouldDispatchByScheme_whenSeveralResolversAreRegistered() {
    // GIVEN env/file plus a store for another scheme
    SecretResolver other = new FixedResolver("sm", "from-sm");
    CompositeSecretResolver composite = CompositeSecretResolver.of(resolver, other);

    // WHEN references of each scheme are resolved
    // THEN each reaches its own resolver
    assertEquals(Set.of("env", "file", "sm"), composite.schemes());
    assertEquals(Optional.of(VALUE), composite.resolve(new SecretRef("env", "SHOP_DB_URL")));
    assertEquals(Optional.of("from-sm"), composite.resolve(new SecretRef("sm", "anything")));
  }

  @Test
  void composite_shouldThrowNamingKnownSchemesButNotTheValue_whenSchemeIsUnknown() {
    // GIVEN a composite of env/file and sm
    CompositeSecretResolver composite =
        CompositeSecretResolver.of(resolver, new FixedResolver("sm", "x"));

    // WHEN a reference with an unknown scheme is resolved
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> composite.resolve(SecretRef.parse("postgresql://u:PASSWORD@host/db")));

    // THEN the message names every known scheme, and not the value: it may be a literal secret
    assertFalse(e.getMessage().contains("PASSWORD"), e.getMessage());
    assertTrue(e.getMessage().contains("env, file, sm"), e.getMessage());
  }

  @Test
  void composite_shouldRefuse_whenTwoResolversClaimOneScheme() {
    // GIVEN two resolvers for env
    // WHEN they are combined
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CompositeSecretResolver.of(resolver, new FixedResolver("env", "x")));

    // THEN the message names the scheme
    assertTrue(e.getMessage().contains("'env'"), e.getMessage());
  }

  @Test
  void toStringAndMessages_shouldNeverContainValues_whenSecretsWereResolved() {
    // GIVEN resolvers that have handed out a secret
    CompositeSecretResolver composite = CompositeSecretResolver.of(resolver);
    composite.resolve(new SecretRef("env", "SHOP_DB_URL"));

    // WHEN they are printed or fail
    String printed = resolver + " " + composite;
    String failure =
        assertThrows(
                IllegalArgumentException.class, () -> composite.resolve(new SecretRef("x", "y")))
            .getMessage();

    // THEN no value appears
    assertFalse(printed.contains("s3cr3t"), printed);
    assertFalse(failure.contains("s3cr3t"), failure);
    assertEquals("EnvSecretResolver[env, file]", resolver.toString());
    assertEquals("CompositeSecretResolver[env, file]", composite.toString());
  }

  /** A store with one value for every name, standing in for a cloud secret store. */
  private record FixedResolver(String scheme, String value) implements SecretResolver {
    @Override
    public Set<String> schemes() {
      return Set.of(scheme);
    }

    @Override
    public Optional<String> resolve(SecretRef ref) {
      return Optional.of(value);
    }
  }
}
