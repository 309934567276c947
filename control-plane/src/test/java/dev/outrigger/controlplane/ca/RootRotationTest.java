package dev.outrigger.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.bundle.x509bundle.X509Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootRotationTest {
  static final String CART = "spiffe://example.org/ns/shop/sa/cart";

  @TempDir Path stateDir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  CertificateAuthority ca;
  RootRotation rotation;

  @BeforeEach
  void open() throws Exception {
    StateDir dir = StateDir.open(stateDir);
    ca = CertificateAuthority.open(dir, CertificateAuthorityTest.DOMAIN, null,
        new TtlPolicy(Duration.ofHours(1), Duration.ofHours(10)), clock);
    rotation = new RootRotation(dir, clock);
  }

  @Test
  void prepareActivateRetire() throws Exception {
    X509Certificate oldRoot = ca.bundle().get(0);
    IssuedCertificate longestUnderOld = issue(Duration.ofHours(10));

    RootRotation.RootStatus prepared = rotation.prepareSelfSigned();
    assertThat(prepared.phase()).isEqualTo(CaState.Phase.PREPARED);
    X509Certificate newRoot = ca.bundle().get(1);
    assertThat(ca.bundle()).containsExactly(oldRoot, newRoot);
    assertThat(bundleFile()).containsExactlyInAnyOrder(oldRoot, newRoot);
    IssuedCertificate stillOld = issue(null);
    assertThat(stillOld.leaf().getIssuerX500Principal()).isEqualTo(oldRoot.getSubjectX500Principal());
    assertThat(stillOld.bundle()).containsExactly(oldRoot, newRoot);

    assertThat(rotation.activate().id()).isEqualTo(prepared.id());
    IssuedCertificate underNew = issue(null);
    assertThat(underNew.leaf().getIssuerX500Principal()).isEqualTo(newRoot.getSubjectX500Principal());
    underNew.leaf().verify(newRoot.getPublicKey());
    assertThat(underNew.bundle()).containsExactly(oldRoot, newRoot);

    // The longest leaf of the old root is valid for 10 h: until then, retiring would break it.
    clock.advance(Duration.ofHours(10).minusSeconds(1));
    assertThatThrownBy(() -> rotation.retire(false))
        .isInstanceOf(RotationRefusedException.class)
        .hasMessageContaining("valid until " + longestUnderOld.notAfter());
    assertThat(ca.bundle()).containsExactly(oldRoot, newRoot);

    clock.advance(Duration.ofSeconds(1));
    assertThat(rotation.retire(false)).extracting(RootRotation.RootStatus::rootFingerprint)
        .containsExactly(Authority.fingerprint(oldRoot));
    assertThat(ca.bundle()).containsExactly(newRoot);
    assertThat(bundleFile()).containsExactly(newRoot);
    assertThat(rotation.status()).extracting(RootRotation.RootStatus::phase)
        .containsExactly(CaState.Phase.ISSUING);
    try (var files = Files.list(stateDir.resolve("ca"))) {
      assertThat(files.filter(Files::isDirectory).toList()).hasSize(1);
    }
  }

  @Test
  void forceRetiresEarly() throws Exception {
    issue(Duration.ofHours(10));
    rotation.prepareSelfSigned();
    rotation.activate();
    assertThat(rotation.retire(true)).hasSize(1);
    assertThat(ca.bundle()).hasSize(1);
  }

  @Test
  void stepsOutOfOrderAreRefused() throws Exception {
    assertThatThrownBy(() -> rotation.activate())
        .isInstanceOf(RotationRefusedException.class).hasMessageContaining("no prepared root");
    assertThatThrownBy(() -> rotation.retire(true))
        .isInstanceOf(RotationRefusedException.class).hasMessageContaining("no previous root");
    rotation.prepareSelfSigned();
    assertThatThrownBy(() -> rotation.prepareSelfSigned())
        .isInstanceOf(RotationRefusedException.class).hasMessageContaining("already prepared");
  }

  @Test
  void aRootThatSignedNothingRetiresAtOnce() throws Exception {
    rotation.prepareSelfSigned();
    rotation.activate();
    assertThat(rotation.retire(false)).hasSize(1);
  }

  private IssuedCertificate issue(Duration ttl) throws Exception {
    return ca.issue(ca.parse(TestCsr.ec().uri(CART).pem()), ttl);
  }

  private List<X509Certificate> bundleFile() throws Exception {
    return List.copyOf(X509Bundle.load(CertificateAuthorityTest.DOMAIN, stateDir.resolve("bundle.pem"))
        .getX509Authorities());
  }
}
