package dev.outrigger.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.svid.x509svid.X509SvidValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's root and intermediate, made by the openssl command (not by our code). */
class OperatorAuthorityTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @Test
  void intermediateFromPemFilesSignsAndTheRootIsTheBundle() throws Exception {
    OpensslPki pki = OpensslPki.rootAndIntermediate(dir);
    // openssl's certificates start at the second they are made, after the test clock: check them at real now.
    Authority authority =
        OperatorAuthority.load(pki.rootCert(), pki.intermediateCert(), pki.intermediateKey(), Instant.now());
    CertificateAuthority ca = CertificateAuthority.open(StateDir.open(dir.resolve("state")),
        CertificateAuthorityTest.DOMAIN, authority, TtlPolicy.DEFAULT, clock);

    TestCsr csr = TestCsr.ec().uri(CertificateAuthorityTest.CART);
    IssuedCertificate issued = ca.issue(ca.parse(csr.pem()), null);

    assertThat(issued.chain()).hasSize(2);
    assertThat(issued.bundle()).containsExactly(authority.root());
    X509Svid svid = X509Svid.parse(Pem.certificates(issued.chain()).getBytes(StandardCharsets.US_ASCII),
        csr.keyPem().getBytes(StandardCharsets.US_ASCII));
    X509SvidValidator.verifyChain(svid.getChain(),
        X509Bundle.load(CertificateAuthorityTest.DOMAIN, dir.resolve("state/bundle.pem")));
  }

  @Test
  void rootAloneFromPemFilesSigns() throws Exception {
    OpensslPki pki = OpensslPki.rootAndIntermediate(dir);
    Authority authority = OperatorAuthority.load(pki.rootCert(), null, pki.rootKey(), Instant.now());
    assertThat(authority.signingCertificate()).isEqualTo(authority.root());
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
    OpensslPki pki = OpensslPki.rootAndIntermediate(dir);
    assertThatThrownBy(() ->
            OperatorAuthority.load(pki.rootCert(), pki.intermediateCert(), pki.rootKey(), Instant.now()))
        .hasMessageContaining("the key does not belong to");
  }

  @Test
  void aLeafIsNotACa() throws Exception {
    OpensslPki pki = OpensslPki.rootAndIntermediate(dir);
    assertThatThrownBy(() ->
            OperatorAuthority.load(pki.rootCert(), pki.leafCert(), pki.leafKey(), Instant.now()))
        .hasMessageContaining("is not a CA certificate");
  }
}
