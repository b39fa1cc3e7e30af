package dev.rollgate.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1, made by the JDK's keytool, for the fakes that must speak
 * HTTPS as Azure does (the Key Vault client sends bearer tokens over HTTPS only), and an Azure HTTP
 * client (Netty, as in production) that trusts it and nothing else.
 */
final class FakeTls {

  private static final char[] PASSWORD = "changeit".toCharArray();

  private final KeyStore store;

  private FakeTls(KeyStore store) {
    this.store = store;
  }

  /** A new key pair and certificate (EC P-256, SAN IP 127.0.0.1, valid two days). */
  static FakeTls create() throws IOException, GeneralSecurityException, InterruptedException {
    Path dir = Files.createTempDirectory("fake-tls");
    Path p12 = dir.resolve("fake.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "fake",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool could not make the fake's certificate: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, PASSWORD);
    }
    return new FakeTls(ks);
  }

  /** The server side: the key and its certificate. */
  SSLContext serverContext() throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** An Azure SDK HTTP client trusting this certificate only. */
  HttpClient trustingClient() throws GeneralSecurityException {
    X509Certificate cert = (X509Certificate) store.getCertificate("fake");
    reactor.netty.http.client.HttpClient netty =
        reactor.netty.http.client.HttpClient.create()
            .secure(
                spec -> {
                  try {
                    spec.sslContext(SslContextBuilder.forClient().trustManager(cert).build());
                  } catch (javax.net.ssl.SSLException e) {
                    throw new IllegalStateException(e);
                  }
                });
    return new NettyAsyncHttpClientBuilder(netty).build();
  }
}
