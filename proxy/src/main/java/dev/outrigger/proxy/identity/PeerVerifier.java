package dev.outrigger.proxy.identity;

import dev.outrigger.proxy.config.StringMatcher;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Checks a peer's certificate chain as the X.509-SVID standard says, in the order that gives the
 * most useful reason: the leaf's profile (exactly one URI SAN holding a SPIFFE ID of the expected
 * trust domain; not a CA; no keyCertSign or cRLSign), its validity period, the SAN matchers, then
 * the chain to a root of the bundle (PKIX, which also checks intermediates' CA bits and dates).
 * Without a trust domain (static {@code trusted_ca} roots) only validity, matchers and chain apply.
 */
final class PeerVerifier {
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private final List<StringMatcher> uriSanMatchers;
  private final Clock clock;

  PeerVerifier(List<StringMatcher> uriSanMatchers, Clock clock) {
    this.uriSanMatchers = List.copyOf(uriSanMatchers);
    this.clock = clock;
  }

  /** The peer's SPIFFE ID when it is an SVID (empty for non-SPIFFE peers of static roots). */
  Optional<SpiffeId> verify(X509Certificate[] chain, TrustBundle bundle) throws PeerRejectedException {
    if (chain == null || chain.length == 0) {
      throw new PeerRejectedException(RejectReason.NO_CERTIFICATE, "the peer sent no certificate");
    }
    X509Certificate leaf = chain[0];
    List<String> uris = SpiffeId.uriSans(leaf);
    Optional<SpiffeId> id = Optional.empty();
    if (bundle.trustDomain().isPresent()) {
      id = Optional.of(svidProfile(leaf, uris, bundle.trustDomain().get()));
    }
    validity(leaf);
    if (!uriSanMatchers.isEmpty() && uris.stream().noneMatch(this::matchesAny)) {
      throw new PeerRejectedException(RejectReason.SAN_NOT_MATCHED, "URI SANs " + uris + " match no configured matcher");
    }
    chainToRoot(chain, bundle);
    return id;
  }

  private static SpiffeId svidProfile(X509Certificate leaf, List<String> uris, String trustDomain)
      throws PeerRejectedException {
    if (uris.isEmpty()) {
      throw new PeerRejectedException(RejectReason.NO_URI_SAN, "the leaf has no URI SAN");
    }
    if (uris.size() > 1) {
      throw new PeerRejectedException(RejectReason.MULTIPLE_URI_SANS, "the leaf has " + uris.size() + " URI SANs " + uris);
    }
    SpiffeId id = SpiffeId.parse(uris.get(0)).orElseThrow(
        () -> new PeerRejectedException(RejectReason.INVALID_SPIFFE_ID, "not a SPIFFE ID: " + uris.get(0)));
    if (!id.trustDomain().equals(trustDomain)) {
      throw new PeerRejectedException(
          RejectReason.WRONG_TRUST_DOMAIN, id + " is not in trust domain " + trustDomain);
    }
    if (leaf.getBasicConstraints() >= 0) {
      throw new PeerRejectedException(RejectReason.LEAF_IS_CA, id + ": the leaf is a CA (basicConstraints cA=true)");
    }
    boolean[] usage = leaf.getKeyUsage();
    if (usage != null && (usage[KEY_CERT_SIGN] || usage[CRL_SIGN])) {
      throw new PeerRejectedException(RejectReason.LEAF_KEY_USAGE, id + ": the leaf may sign certificates or CRLs");
    }
    return id;
  }

  private void validity(X509Certificate leaf) throws PeerRejectedException {
    try {
      leaf.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      throw new PeerRejectedException(RejectReason.EXPIRED, "the leaf expired at " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new PeerRejectedException(
          RejectReason.NOT_YET_VALID, "the leaf is valid from " + leaf.getNotBefore().toInstant());
    }
  }

  private boolean matchesAny(String uri) {
    for (StringMatcher matcher : uriSanMatchers) {
      if (matcher.matches(uri)) {
        return true;
      }
    }
    return false;
  }

  private void chainToRoot(X509Certificate[] chain, TrustBundle bundle) throws PeerRejectedException {
    if (bundle.anchors().isEmpty()) {
      throw new PeerRejectedException(RejectReason.NO_TRUST_BUNDLE, "no trust bundle is loaded");
    }
    // A peer may send its root along; the path to validate ends below the anchor.
    List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
    while (path.size() > 1 && bundle.isRoot(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(bundle.anchors());
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (GeneralSecurityException e) {
      throw new PeerRejectedException(
          RejectReason.UNTRUSTED_CHAIN,
          "no chain to a root of the bundle for " + chain[0].getSubjectX500Principal() + " (" + e.getMessage() + ")");
    }
  }
}
