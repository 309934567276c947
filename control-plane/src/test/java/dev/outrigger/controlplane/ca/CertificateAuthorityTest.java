package dev.outrigger.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.controlplane.state.StateDir;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.svid.x509svid.X509SvidValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  static final TrustDomain DOMAIN = TrustDomain.parse("example.org");
  static final String CART = "spiffe://example.org/ns/shop/sa/cart";
  /** Now, because java-spiffe and openssl check validity against the real time. */
  static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @TempDir Path stateDir;
  final MutableClock clock = new MutableClock(START);
  CertificateAuthority ca;

  @BeforeEach
  void open() throws Exception {
    ca = CertificateAuthority.open(StateDir.open(stateDir), DOMAIN, null,
        new TtlPolicy(Duration.ofHours(24), Duration.ofHours(48)), clock);
  }

  @Test
  void issuedLeafIsAnX509SvidThatChainsToTheBundle() throws Exception {
    TestCsr csr = TestCsr.ec().uri(CART);
    IssuedCertificate issued = ca.issue(ca.parse(csr.pem()), null);

    X509Svid svid = X509Svid.parse(
        Pem.certificates(issued.chain()).getBytes(StandardCharsets.US_ASCII),
        csr.keyPem().getBytes(StandardCharsets.US_ASCII));
    assertThat(svid.getSpiffeId()).isEqualTo(SpiffeId.parse(CART));
    X509Bundle bundle = X509Bundle.load(DOMAIN, stateDir.resolve("bundle.pem"));
    assertThat(bundle.getX509Authorities()).containsExactlyElementsOf(issued.bundle());
    X509SvidValidator.verifyChain(svid.getChain(), bundle);
  }

  @Test
  void leafFollowsTheSvidProfile() throws Exception {
    X509Certificate leaf = ca.issue(ca.parse(TestCsr.ec().uri(CART).pem()), null).leaf();

    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, CART));
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getCriticalExtensionOIDs())
        .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    // digitalSignature only: no keyEncipherment for an EC key, nothing a CA would have.
    assertThat(leaf.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getSerialNumber().signum()).isPositive();
    assertThat(leaf.getSerialNumber().bitLength()).isGreaterThanOrEqualTo(64);
    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(START.minus(CertificateAuthority.CLOCK_SKEW));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(START.plus(Duration.ofHours(24)));

    X509Certificate root = ca.bundle().get(0);
    byte[] rootKeyId = SubjectKeyIdentifier.getInstance(
        new JcaX509CertificateHolder(root).getExtension(Extension.subjectKeyIdentifier).getParsedValue())
        .getKeyIdentifier();
    JcaX509CertificateHolder holder = new JcaX509CertificateHolder(leaf);
    assertThat(AuthorityKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifierObject().getOctets())
        .isEqualTo(rootKeyId);
    assertThat(SubjectKeyIdentifier.fromExtensions(holder.getExtensions())).isNotNull();
  }

  @Test
  void signingLeavesBundlePemUntouched() throws Exception {
    Path bundle = stateDir.resolve("bundle.pem");
    Object before = Files.getAttribute(bundle, "unix:ino");
    ca.issue(ca.parse(TestCsr.ec().uri(CART).pem()), null);
    // Replaced files get a new inode: the same inode means the file was not rewritten.
    assertThat(Files.getAttribute(bundle, "unix:ino")).isEqualTo(before);
  }

  @Test
  void concurrentSignaturesKeepTheStateConsistent() throws Exception {
    CertificateRequest request = ca.parse(TestCsr.ec().uri(CART).pem());
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<IssuedCertificate>> issued = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Duration ttl = Duration.ofHours(1 + i % 5);
        issued.add(threads.submit(() -> ca.issue(request, ttl)));
      }
      for (Future<IssuedCertificate> result : issued) {
        result.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    // Every update was read-modify-write under the lock: the longest lifetime is the one recorded.
    assertThat(new RootRotation(StateDir.open(stateDir), clock).status().get(0).issuedUntil())
        .isEqualTo(START.plus(Duration.ofHours(5)));
  }

  @Test
  void serialsDiffer() throws Exception {
    HashSet<Object> serials = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      serials.add(ca.issue(ca.parse(TestCsr.ec().uri(CART).pem()), null).serialHex());
    }
    assertThat(serials).hasSize(20);
  }

  @Test
  void rsaLeafAlsoHasKeyEncipherment() throws Exception {
    X509Certificate leaf = ca.issue(ca.parse(TestCsr.rsa(2048).uri(CART).pem()), null).leaf();
    assertThat(leaf.getKeyUsage()[0]).isTrue();
    assertThat(leaf.getKeyUsage()[2]).isTrue();
  }

  @Test
  void ttlIsTheDefaultUnlessAskedAndCappedAtTheMaximum() throws Exception {
    CertificateRequest request = ca.parse(TestCsr.ec().uri(CART).pem());
    assertThat(ca.issue(request, Duration.ZERO).notAfter()).isEqualTo(START.plus(Duration.ofHours(24)));
    assertThat(ca.issue(request, Duration.ofHours(1)).notAfter()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(ca.issue(request, Duration.ofDays(30)).notAfter()).isEqualTo(START.plus(Duration.ofHours(48)));
  }

  @Test
  void csrWithTwoUriSansIsRefused() {
    String csr = TestCsr.ec().uri(CART).uri("spiffe://example.org/ns/shop/sa/payments").pem();
    assertThatThrownBy(() -> ca.parse(csr))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("exactly one URI SAN")
        .hasMessageContaining("found 2");
  }

  @Test
  void csrWithoutSanIsRefused() {
    assertThatThrownBy(() -> ca.parse(TestCsr.ec().pem()))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("extensionRequest");
  }

  @Test
  void csrWithADnsSanIsRefused() {
    assertThatThrownBy(() -> ca.parse(TestCsr.ec().uri(CART).dns("cart.shop").pem()))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("SAN other than a URI");
  }

  @Test
  void csrForAnotherTrustDomainIsRefused() {
    assertThatThrownBy(() -> ca.parse(TestCsr.ec().uri("spiffe://evil.org/ns/shop/sa/cart").pem()))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("outside the trust domain example.org");
  }

  @Test
  void csrWhoseUriIsNotASpiffeIdIsRefused() {
    assertThatThrownBy(() -> ca.parse(TestCsr.ec().uri("https://example.org/ns/shop").pem()))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("is not a SPIFFE ID");
    assertThatThrownBy(() -> ca.parse(TestCsr.ec().uri("spiffe://example.org").pem()))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("names the trust domain");
  }

  @Test
  void csrWithABadSignatureIsRefused() {
    assertThatThrownBy(() -> ca.parse(TestCsr.ec().uri(CART).signedByAnotherKey().pem()))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("signature is invalid");
  }

  @Test
  void weakKeysAndGarbageAreRefused() {
    assertThatThrownBy(() -> ca.parse(TestCsr.rsa(1024).uri(CART).pem()))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("RSA key of 1024 bits");
    assertThatThrownBy(() -> ca.parse("not a csr"))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("unreadable CSR");
  }

  @Test
  void keyAndStateFilesAreOwnerOnly() throws Exception {
    List<Path> privateFiles;
    try (Stream<Path> files = Files.walk(stateDir.resolve("ca"))) {
      privateFiles = files.filter(Files::isRegularFile).toList();
    }
    assertThat(privateFiles).anyMatch(file -> file.endsWith("key.pem"));
    for (Path file : privateFiles) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(file.toString()).isEqualTo("rw-------");
    }
    assertThat(Files.readString(privateFiles.stream().filter(f -> f.endsWith("key.pem")).findFirst().orElseThrow()))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("bundle.pem"))))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void reopeningKeepsTheRootAndRefusesAnotherTrustDomain() throws Exception {
    List<X509Certificate> bundle = ca.bundle();
    CertificateAuthority again =
        CertificateAuthority.open(StateDir.open(stateDir), DOMAIN, null, TtlPolicy.DEFAULT, clock);
    assertThat(again.bundle()).isEqualTo(bundle);
    assertThatThrownBy(() -> CertificateAuthority.open(StateDir.open(stateDir),
            TrustDomain.parse("other.org"), null, TtlPolicy.DEFAULT, clock))
        .hasMessageContaining("is for trust domain example.org, not other.org");
  }
}
