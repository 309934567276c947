package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.tls.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Certificates with a chosen SPIFFE ID (the one URI SAN), made by the {@code openssl} command and
 * signed by {@link TestPki}'s CA, so a peer that trusts that CA accepts them. Made once per JVM.
 */
public final class SpiffeCertificates {
  /** A certificate and key, as PEM text and as the files that hold them. */
  public record Issued(CertificateKeyPair pem, Path certificateFile, Path keyFile) {}

  private static final Map<String, Issued> made = new ConcurrentHashMap<>();

  private SpiffeCertificates() {}

  /** A client certificate whose only name is the SPIFFE ID. */
  public static Issued client(String spiffeId) {
    return made.computeIfAbsent("client " + spiffeId,
        key -> make(key, "subjectAltName=URI:" + spiffeId + "\nextendedKeyUsage=clientAuth\n"));
  }

  /** A server certificate for 127.0.0.1 and localhost that also carries the SPIFFE ID. */
  public static Issued server(String spiffeId) {
    return made.computeIfAbsent("server " + spiffeId, key -> make(key,
        "subjectAltName=URI:" + spiffeId + ",IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"));
  }

  private static Issued make(String key, String extensions) {
    TestPki pki = TestPki.get();
    String name = "spiffe-" + Integer.toHexString(key.hashCode());
    try {
      Files.writeString(pki.file(name + ".ext"), extensions);
      openssl(pki.dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/O=outrigger-test/CN=" + name);
      openssl(pki.dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
          "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
      Path certificate = pki.file(name + ".crt");
      Path privateKey = pki.file(name + ".key");
      return new Issued(
          new CertificateKeyPair(Files.readString(certificate), Files.readString(privateKey)), certificate, privateKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
