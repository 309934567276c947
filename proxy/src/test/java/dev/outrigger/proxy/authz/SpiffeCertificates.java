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
 * Client certificates with a chosen SPIFFE ID (the one URI SAN), made by the {@code openssl}
 * command and signed by {@link TestPki}'s CA, so a proxy that trusts that CA accepts them.
 */
final class SpiffeCertificates {
  private static final Map<String, CertificateKeyPair> made = new ConcurrentHashMap<>();

  private SpiffeCertificates() {}

  static CertificateKeyPair client(String spiffeId) {
    return made.computeIfAbsent(spiffeId, SpiffeCertificates::make);
  }

  private static CertificateKeyPair make(String spiffeId) {
    TestPki pki = TestPki.get();
    String name = "spiffe-" + Integer.toHexString(spiffeId.hashCode());
    try {
      Files.writeString(pki.file(name + ".ext"), "subjectAltName=URI:" + spiffeId + "\nextendedKeyUsage=clientAuth\n");
      openssl(pki.dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/O=outrigger-test/CN=" + name);
      openssl(pki.dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
          "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
      return new CertificateKeyPair(Files.readString(pki.file(name + ".crt")), Files.readString(pki.file(name + ".key")));
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
