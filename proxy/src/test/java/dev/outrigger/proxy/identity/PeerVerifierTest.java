package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outrigger.proxy.config.StringMatcher;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The X.509-SVID checks, one deviation per case, each with its reason. */
class PeerVerifierTest {
  private static final String CART = "spiffe://example.org/ns/shop/sa/cart";
  private static final SvidPki.Ca ROOT = SvidPki.Ca.create("example.org root");
  private static final SvidPki.Ca NEXT_ROOT = SvidPki.Ca.create("example.org next root");
  private static final SvidPki.Ca STRANGER = SvidPki.Ca.create("elsewhere root");

  private final PeerVerifier verifier = new PeerVerifier(List.of(), Clock.systemUTC());

  private static TrustBundle bundle(SvidPki.Ca... roots) {
    return TrustBundle.of(Optional.of("example.org"),
        java.util.Arrays.stream(roots).map(SvidPki.Ca::certificate).toList());
  }

  private static X509Certificate[] chain(SvidPki.Leaf leaf) {
    return new X509Certificate[] {leaf.certificate()};
  }

  @Test
  void acceptsAnSvidOfTheTrustDomainAndReturnsItsId() throws Exception {
    assertThat(verifier.verify(chain(ROOT.issue(CART)), bundle(ROOT))).map(SpiffeId::toString).contains(CART);
  }

  @Test
  void acceptsLeavesOfEitherRootWhileTheBundleHoldsTwo() throws Exception {
    assertThat(verifier.verify(chain(ROOT.issue(CART)), bundle(ROOT, NEXT_ROOT))).isPresent();
    assertThat(verifier.verify(chain(NEXT_ROOT.issue(CART)), bundle(ROOT, NEXT_ROOT))).isPresent();
  }

  @Test
  void acceptsAChainThatCarriesItsRoot() throws Exception {
    SvidPki.Leaf leaf = ROOT.issue(CART);
    assertThat(verifier.verify(new X509Certificate[] {leaf.certificate(), ROOT.certificate()}, bundle(ROOT))).isPresent();
  }

  @Test
  void rejectsEachDeviationWithItsReason() {
    Instant now = Instant.now();
    assertRejected(new X509Certificate[0], bundle(ROOT), RejectReason.NO_CERTIFICATE);
    assertRejected(chain(ROOT.issue()), bundle(ROOT), RejectReason.NO_URI_SAN);
    assertRejected(chain(ROOT.issue(CART, "spiffe://example.org/ns/shop/sa/other")), bundle(ROOT),
        RejectReason.MULTIPLE_URI_SANS);
    assertRejected(chain(ROOT.issue("https://example.org/cart")), bundle(ROOT), RejectReason.INVALID_SPIFFE_ID);
    assertRejected(chain(ROOT.issue("spiffe://other.org/ns/shop/sa/cart")), bundle(ROOT), RejectReason.WRONG_TRUST_DOMAIN);
    assertRejected(chain(ROOT.leaf().uris(CART).ca().issue()), bundle(ROOT), RejectReason.LEAF_IS_CA);
    assertRejected(chain(ROOT.leaf().uris(CART).keyCertSign().issue()), bundle(ROOT), RejectReason.LEAF_KEY_USAGE);
    assertRejected(chain(ROOT.leaf().uris(CART).validity(now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))).issue()),
        bundle(ROOT), RejectReason.EXPIRED);
    assertRejected(chain(ROOT.leaf().uris(CART).validity(now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2))).issue()),
        bundle(ROOT), RejectReason.NOT_YET_VALID);
    assertRejected(chain(STRANGER.issue(CART)), bundle(ROOT), RejectReason.UNTRUSTED_CHAIN);
    assertRejected(chain(ROOT.issue(CART)), TrustBundle.of(Optional.of("example.org"), List.of()), RejectReason.NO_TRUST_BUNDLE);
  }

  @Test
  void matchersAcceptOnlyTheIdsTheyName() throws Exception {
    PeerVerifier shopOnly = new PeerVerifier(
        List.of(new StringMatcher.Prefix("spiffe://example.org/ns/shop/", false),
            new StringMatcher.Regex(Pattern.compile("spiffe://example\\.org/ns/ops/sa/[a-z]+"))),
        Clock.systemUTC());
    assertThat(shopOnly.verify(chain(ROOT.issue(CART)), bundle(ROOT))).isPresent();
    assertThat(shopOnly.verify(chain(ROOT.issue("spiffe://example.org/ns/ops/sa/deploy")), bundle(ROOT))).isPresent();
    assertThatThrownBy(() -> shopOnly.verify(chain(ROOT.issue("spiffe://example.org/ns/bank/sa/cart")), bundle(ROOT)))
        .isInstanceOfSatisfying(PeerRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.SAN_NOT_MATCHED));
  }

  @Test
  void staticRootsWithoutATrustDomainSkipTheSvidProfile() throws Exception {
    TrustBundle staticRoots = TrustBundle.of(Optional.empty(), List.of(ROOT.certificate()));
    assertThat(verifier.verify(chain(ROOT.issue()), staticRoots)).isEmpty();
  }

  private void assertRejected(X509Certificate[] chain, TrustBundle bundle, RejectReason reason) {
    assertThatThrownBy(() -> verifier.verify(chain, bundle))
        .as(reason.label())
        .isInstanceOfSatisfying(PeerRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
