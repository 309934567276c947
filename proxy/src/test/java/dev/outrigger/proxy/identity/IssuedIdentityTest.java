package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.api.ca.v1.SignResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What makes the CA's answer acceptable, one rejection at a time. */
class IssuedIdentityTest {
  private static final String ID = "spiffe://mesh.test/ns/shop/sa/cart";
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Duration TTL = Duration.ofHours(1);

  private final TestSigner signer = new TestSigner("root", NOW);
  private final KeyPair ours = newKey();

  private static KeyPair newKey() {
    try {
      return TestSigner.newKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SignResponse response(X509Certificate leaf, X509Certificate root) {
    return SignResponse.newBuilder()
        .addCertificateChainPem(TestSigner.pem(leaf))
        .addTrustBundlePem(TestSigner.pem(root))
        .build();
  }

  private WorkloadIdentity verify(SignResponse response) throws GeneralSecurityException {
    return IssuedIdentity.verify(response, ours, ID, NOW);
  }

  @Test
  void acceptsTheCertificateAskedFor() throws Exception {
    X509Certificate leaf = signer.issueSvid(ours.getPublic(), ID, NOW, TTL);
    WorkloadIdentity identity = verify(response(leaf, signer.root));
    assertThat(identity.certificateChain()).containsExactly(leaf);
    assertThat(identity.privateKey()).isSameAs(ours.getPrivate());
    assertThat(identity.trustBundle()).containsExactly(signer.root);
  }

  @Test
  void acceptsALeafChainingToAnyRootOfABundleInRotation() throws Exception {
    TestSigner next = new TestSigner("next-root", NOW);
    X509Certificate leaf = next.issueSvid(ours.getPublic(), ID, NOW, TTL);
    SignResponse response = response(leaf, signer.root).toBuilder().addTrustBundlePem(TestSigner.pem(next.root)).build();
    assertThat(verify(response).trustBundle()).containsExactly(signer.root, next.root);
  }

  @Test
  void rejectsAnotherId() throws Exception {
    X509Certificate leaf = signer.issueSvid(ours.getPublic(), "spiffe://mesh.test/ns/shop/sa/payments", NOW, TTL);
    assertThatThrownBy(() -> verify(response(leaf, signer.root))).hasMessageContaining("we asked for " + ID);
  }

  @Test
  void rejectsAnExtraUriSan() throws Exception {
    X509Certificate leaf =
        signer.issueSvid(ours.getPublic(), List.of(ID, "spiffe://mesh.test/ns/shop/sa/payments"), NOW, TTL, false);
    assertThatThrownBy(() -> verify(response(leaf, signer.root))).hasMessageContaining("we asked for");
  }

  @Test
  void rejectsACertificateForSomeoneElsesKey() throws Exception {
    X509Certificate leaf = signer.issueSvid(TestSigner.newKey().getPublic(), ID, NOW, TTL);
    assertThatThrownBy(() -> verify(response(leaf, signer.root))).hasMessageContaining("not for the key we sent");
  }

  @Test
  void rejectsACaCertificate() throws Exception {
    X509Certificate leaf = signer.issueSvid(ours.getPublic(), List.of(ID), NOW, TTL, true);
    assertThatThrownBy(() -> verify(response(leaf, signer.root))).hasMessageContaining("CA certificate");
  }

  @Test
  void rejectsALeafThatDoesNotChainToTheReturnedBundle() throws Exception {
    X509Certificate leaf = signer.issueSvid(ours.getPublic(), ID, NOW, TTL);
    X509Certificate stranger = new TestSigner("stranger", NOW).root;
    assertThatThrownBy(() -> verify(response(leaf, stranger))).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void rejectsALeafNotValidNow() throws Exception {
    X509Certificate expired = signer.issueSvid(ours.getPublic(), ID, NOW.minus(TTL.multipliedBy(2)), TTL);
    assertThatThrownBy(() -> verify(response(expired, signer.root))).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void rejectsAnEmptyOrUnparsableAnswer() {
    assertThatThrownBy(() -> verify(SignResponse.getDefaultInstance())).hasMessageContaining("certificate_chain_pem");
    SignResponse garbage = SignResponse.newBuilder()
        .addCertificateChainPem("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
        .addTrustBundlePem(TestSigner.pem(signer.root))
        .build();
    assertThatThrownBy(() -> verify(garbage)).isInstanceOf(GeneralSecurityException.class);
  }
}
