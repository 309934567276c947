package dev.outrigger.proxy.identity;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Roots a peer's chain must lead to, prepared once per bundle so that a handshake only reads it.
 *
 * @param trustDomain when present, peers must be X.509-SVIDs of this trust domain; absent for
 *     static {@code trusted_ca} roots checked only against SAN matchers
 */
record TrustBundle(Optional<String> trustDomain, List<X509Certificate> roots, Set<TrustAnchor> anchors) {
  static final TrustBundle EMPTY = new TrustBundle(Optional.empty(), List.of(), Set.of());

  static TrustBundle of(Optional<String> trustDomain, List<X509Certificate> roots) {
    return new TrustBundle(
        trustDomain,
        List.copyOf(roots),
        roots.stream().map(root -> new TrustAnchor(root, null)).collect(Collectors.toUnmodifiableSet()));
  }

  boolean isRoot(X509Certificate certificate) {
    return roots.contains(certificate);
  }
}
