package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outrigger.api.ca.v1.SignRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA client against a real {@code CertificateService} over TLS on loopback, with a manual
 * clock and scheduler so the renewal and backoff schedule is checked without waiting.
 */
class CaIdentitySourceTest {
  private static final String ID = "spiffe://mesh.test/ns/shop/sa/cart";
  private static final Duration TTL = Duration.ofHours(1);
  // RenewalPolicy's random source is pinned to 0.5: renewal at 50% + 5% of the lifetime, and each
  // backoff at three quarters of its ceiling.
  private static final Duration RENEW_AFTER = Duration.ofMinutes(33);

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<WorkloadIdentity> delivered = new CopyOnWriteArrayList<>();
  private TestCaServer ca;
  private Path tokenFile;
  private CaIdentitySource source;

  @BeforeEach
  void startCa() throws Exception {
    ca = new TestCaServer(new TestSigner("mesh-root", clock.instant()), clock, "token-a");
    tokenFile = Files.writeString(dir.resolve("token"), "token-a\n");
    source = newSource(ca.writeBundle(dir.resolve("ca-bundle.pem")));
  }

  @AfterEach
  void stop() throws Exception {
    source.close();
    ca.close();
  }

  private CaIdentitySource newSource(Path bundle) {
    CaIdentitySource.Settings settings = new CaIdentitySource.Settings(ca.target(), bundle, tokenFile, ID, TTL);
    return new CaIdentitySource(settings, registry, clock, scheduler, new RenewalPolicy(() -> 0.5));
  }

  @Test
  void firstIssuanceDeliversAVerifiedIdentityAndSchedulesRenewalAtHalfLifePlusJitter() throws Exception {
    source.start(delivered::add);
    assertThat(scheduler.nextDelay()).isZero();

    scheduler.runNext();

    assertThat(delivered).hasSize(1);
    WorkloadIdentity identity = delivered.get(0);
    assertThat(identity.leaf().getSubjectAlternativeNames()).containsExactly(List.of(6, ID));
    assertThat(identity.trustBundle()).containsExactly(ca.signer.root);
    identity.leaf().verify(ca.signer.root.getPublicKey());
    assertThat(KeyPairCheck.matches(identity.privateKey(), identity.leaf())).isTrue();
    assertThat(ca.requests).hasSize(1);
    assertThat(ca.requests.get(0).getTtl().getSeconds()).isEqualTo(TTL.getSeconds());
    assertThat(scheduler.nextDelay()).isEqualTo(RENEW_AFTER);
    assertThat(registry.scrape())
        .contains("outrigger_identity_renewals_total{result=\"success\"} 1.0")
        .contains("outrigger_identity_renewal_failing 0.0");
  }

  @Test
  void renewalAtHalfLifeMakesANewKey() {
    source.start(delivered::add);
    scheduler.runNext();
    scheduler.runNext();

    assertThat(delivered).hasSize(2);
    assertThat(delivered.get(1).leaf().getNotBefore().toInstant()).isEqualTo(clock.instant());
    assertThat(delivered.get(1).privateKey()).isNotEqualTo(delivered.get(0).privateKey());
    assertThat(delivered.get(1).leaf().getPublicKey()).isNotEqualTo(delivered.get(0).leaf().getPublicKey());
    assertThat(scheduler.nextDelay()).isEqualTo(RENEW_AFTER);
  }

  @Test
  void theRequestCarriesOnlyTheCsrWhosePublicKeyIsTheLeafsAndNeverThePrivateKey() throws Exception {
    source.start(delivered::add);
    scheduler.runNext();

    SignRequest request = ca.requests.get(0);
    PKCS10CertificationRequest csr = TestSigner.parseCsr(request.getCsrPem());
    WorkloadIdentity identity = delivered.get(0);
    assertThat(csr.getSubjectPublicKeyInfo())
        .isEqualTo(SubjectPublicKeyInfo.getInstance(identity.leaf().getPublicKey().getEncoded()));
    assertThat(TestCaServer.requestedId(csr)).isEqualTo(ID);
    assertThat(request.getCsrPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----").doesNotContain("PRIVATE KEY");
    String secretScalar = HexFormat.of().formatHex(((ECPrivateKey) identity.privateKey()).getS().toByteArray());
    assertThat(HexFormat.of().formatHex(request.toByteArray())).doesNotContain(secretScalar.substring(2));
    assertThat(HexFormat.of().formatHex(csr.getEncoded())).doesNotContain(secretScalar.substring(2));
  }

  @Test
  void failedRenewalsBackOffExponentiallyAndRaiseTheFailingGauge() {
    ca.failNext(3);
    source.start(delivered::add);

    scheduler.runNext();
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(750));
    assertThat(registry.scrape()).contains("outrigger_identity_renewal_failing 1.0");
    scheduler.runNext();
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(1500));
    scheduler.runNext();
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(3000));
    assertThat(delivered).isEmpty();

    scheduler.runNext();

    assertThat(delivered).hasSize(1);
    // Issued 5.25 s into the test; the certificate's notBefore keeps whole seconds.
    assertThat(scheduler.nextDelay()).isBetween(RENEW_AFTER.minusSeconds(1), RENEW_AFTER);
    assertThat(registry.scrape())
        .contains("outrigger_identity_renewals_total{result=\"failure\"} 3.0")
        .contains("outrigger_identity_renewals_total{result=\"success\"} 1.0")
        .contains("outrigger_identity_renewal_failing 0.0");
  }

  @Test
  void aCertificateForAnotherIdIsRejectedAndTheLastIdentityStays() {
    source.start(delivered::add);
    scheduler.runNext();
    ca.certify("spiffe://mesh.test/ns/shop/sa/payments");

    scheduler.runNext();

    assertThat(delivered).hasSize(1);
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(750));
    assertThat(registry.scrape()).contains("outrigger_identity_renewals_total{result=\"failure\"} 1.0");
  }

  @Test
  void theTokenFileIsReadAgainAtEachRenewal() throws Exception {
    source.start(delivered::add);
    scheduler.runNext();
    ca.expectToken("token-b");

    scheduler.runNext();
    assertThat(delivered).hasSize(1);

    Files.writeString(tokenFile, "token-b");
    scheduler.runNext();
    assertThat(delivered).hasSize(2);
  }

  @Test
  void aCaWhoseCertificateDoesNotChainToTheOperatorsBundleGetsNoRequest() throws Exception {
    Path otherBundle = Files.writeString(dir.resolve("other.pem"),
        TestSigner.pem(new TestSigner("someone-else", clock.instant()).root));
    source.close();
    source = newSource(otherBundle);
    source.start(delivered::add);

    scheduler.runNext();

    assertThat(delivered).isEmpty();
    assertThat(ca.requests).isEmpty();
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void onItsOwnThreadTheFirstIdentityArrivesWithoutBeingStepped() throws Exception {
    CaIdentitySource.Settings settings =
        new CaIdentitySource.Settings(ca.target(), dir.resolve("ca-bundle.pem"), tokenFile, ID, Duration.ZERO);
    try (CaIdentitySource production = new CaIdentitySource(settings, new SimpleMeterRegistry())) {
      production.start(delivered::add);
      await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 1);
    }
    assertThat(ca.requests.get(0).hasTtl()).isFalse();
    assertThat(delivered.get(0).leaf().getSubjectAlternativeNames()).containsExactly(List.of(6, ID));
  }

  @Test
  void closeStopsTheScheduler() {
    source.start(delivered::add);
    source.close();
    assertThat(scheduler.isClosed()).isTrue();
  }

  @Test
  void settingsRejectAnIdThatIsNotSpiffe() {
    assertThatThrownBy(() -> new CaIdentitySource.Settings(ca.target(), dir, tokenFile, "https://x/y", TTL))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
