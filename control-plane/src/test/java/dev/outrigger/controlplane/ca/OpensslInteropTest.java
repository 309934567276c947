package dev.outrigger.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our certificates read and verified by the openssl command, and openssl's CSRs signed by us. */
class OpensslInteropTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  CertificateAuthority ca;

  @BeforeEach
  void open() throws Exception {
    ca = CertificateAuthority.open(StateDir.open(dir.resolve("state")),
        CertificateAuthorityTest.DOMAIN, null, TtlPolicy.DEFAULT, clock);
  }

  @Test
  void opensslReadsTheSvidProfileAndVerifiesItAgainstBundlePem() throws Exception {
    IssuedCertificate issued = ca.issue(ca.parse(TestCsr.ec().uri(CertificateAuthorityTest.CART).pem()), null);
    Files.writeString(dir.resolve("leaf.pem"), Pem.certificate(issued.leaf()));

    String text = Openssl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-text");
    assertThat(text)
        .contains("URI:" + CertificateAuthorityTest.CART)
        .contains("X509v3 Basic Constraints: critical", "CA:FALSE")
        .contains("X509v3 Key Usage: critical", "Digital Signature")
        .doesNotContain("Key Encipherment", "Certificate Sign")
        .contains("TLS Web Server Authentication, TLS Web Client Authentication")
        .contains("X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier");

    assertThat(Openssl.run(dir, "verify", "-CAfile", "state/bundle.pem", "leaf.pem")).contains("leaf.pem: OK");
  }

  @Test
  void aCsrMadeByOpensslIsSigned() throws Exception {
    Openssl.run(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "workload.key", "-subj", "/O=Workload", "-out", "workload.csr",
        "-addext", "subjectAltName=URI:" + CertificateAuthorityTest.CART);
    IssuedCertificate issued = ca.issue(ca.parse(Files.readString(dir.resolve("workload.csr"))), null);
    Files.writeString(dir.resolve("workload.pem"), Pem.certificate(issued.leaf()));

    assertThat(Openssl.run(dir, "verify", "-CAfile", "state/bundle.pem", "workload.pem"))
        .contains("workload.pem: OK");
    // The certificate is for the key openssl made: same public key.
    assertThat(Openssl.run(dir, "x509", "-in", "workload.pem", "-noout", "-pubkey"))
        .isEqualTo(Openssl.run(dir, "pkey", "-in", "workload.key", "-pubout"));
  }
}
