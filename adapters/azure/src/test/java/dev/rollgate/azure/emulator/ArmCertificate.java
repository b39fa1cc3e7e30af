package dev.rollgate.azure.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The fake's own TLS certificate, made at start by the JDK's keytool: a self-signed RSA key for
 * 127.0.0.1 and localhost, valid two days, kept in a temporary PKCS#12 store, and the certificate
 * exported as PEM ({@link #pem()}) for clients to trust (rollgate: {@code
 * rollgate.azure.trust-certificate}). ARM is HTTPS only, and Azure's SDK sends no bearer token over
 * plain HTTP.
 */
final class ArmCertificate {

  private static final String PASSWORD = "rollgate-fake";

  private final Path dir;
  private final Path store;
  private final Path pem;

  private ArmCertificate(Path dir) {
    this.dir = dir;
    this.store = dir.resolve("arm-fake.p12");
    this.pem = dir.resolve("arm-fake.pem");
  }

  static ArmCertificate generate() throws IOException {
    ArmCertificate c = new ArmCertificate(Files.createTempDirectory("rollgate-arm-fake"));
    c.keytool(
        "-genkeypair",
        "-alias",
        "arm",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        c.store.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    c.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "arm",
        "-keystore",
        c.store.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        c.pem.toString());
    return c;
  }

  /** The certificate, PEM-encoded, to trust. */
  Path pem() {
    return pem;
  }

  SSLContext sslContext() throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    return ssl;
  }

  void delete() {
    try {
      Files.deleteIfExists(store);
      Files.deleteIfExists(pem);
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temporary directory: the system cleans it eventually
    }
  }

  private void keytool(String... args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile())
            .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "keytool " + args[0] + " failed: " + Files.readString(dir.resolve("keytool.log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }
}
