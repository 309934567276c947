package dev.outrigger.proxy.tls;

import dev.outrigger.proxy.config.CertificateKeyPair;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates made with the {@code openssl} command (P-256 keys, PKCS#8): a CA, a server
 * certificate for {@code localhost} / 127.0.0.1 signed by it, a client certificate signed by it,
 * and an unrelated CA with its own server certificate. Made once per test JVM.
 */
public final class TestPki {
  private static TestPki instance;

  public final Path dir;
  public final String caPem;
  public final CertificateKeyPair server;
  public final CertificateKeyPair client;
  public final String otherCaPem;
  public final CertificateKeyPair otherServer;

  private TestPki(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    ca("ca");
    ca("other-ca");
    leaf("server", "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    leaf("client", "ca", "subjectAltName=URI:spiffe://test/ns/default/sa/client\nextendedKeyUsage=clientAuth\n");
    leaf("other-server", "other-ca", "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
    this.caPem = read("ca.crt");
    this.otherCaPem = read("other-ca.crt");
    this.server = pair("server");
    this.client = pair("client");
    this.otherServer = pair("other-server");
  }

  public static synchronized TestPki get() {
    if (instance == null) {
      try {
        instance = new TestPki(Files.createTempDirectory("outrigger-pki"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  /** A JDK client context trusting {@code caPem}, presenting {@code certificate} when given. */
  public SSLContext jdkClientContext(String trustedCaPem, CertificateKeyPair certificate) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", factory.generateCertificate(ascii(trustedCaPem)));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (certificate != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      X509Certificate cert =
          (X509Certificate) factory.generateCertificate(ascii(certificate.certificateChainPem()));
      keys.setKeyEntry("key", privateKey(certificate.privateKeyPem()), new char[0], new X509Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static ByteArrayInputStream ascii(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static PrivateKey privateKey(String pem) throws Exception {
    String base64 =
        pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(base64);
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private void ca(String name) throws IOException, InterruptedException {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + name,
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  }

  private void leaf(String name, String issuer, String extensions) throws IOException, InterruptedException {
    Files.writeString(dir.resolve(name + ".ext"), extensions);
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".crt", "-CAkey", issuer + ".key",
        "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
  }

  private CertificateKeyPair pair(String name) throws IOException {
    return new CertificateKeyPair(read(name + ".crt"), read(name + ".key"));
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + output);
    }
  }
}
