package dev.outrigger.proxy.identity;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A SPIFFE ID, {@code spiffe://<trust-domain>/<path>}, parsed by the rules of the SPIFFE ID
 * standard: lower-case scheme and trust domain of {@code [a-z0-9.-_]}, path segments of
 * {@code [a-zA-Z0-9.-_]} that are neither empty nor {@code .} or {@code ..}, no trailing slash, no
 * port, user info, query or fragment.
 */
public record SpiffeId(String trustDomain, String path) {
  private static final String SCHEME = "spiffe://";
  private static final int MAX_LENGTH = 2048;
  private static final int URI_SAN = 6;

  /** The ID in {@code uri}, or empty when it is not a valid SPIFFE ID. */
  public static Optional<SpiffeId> parse(String uri) {
    if (uri.length() > MAX_LENGTH || !uri.startsWith(SCHEME)) {
      return Optional.empty();
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String trustDomain = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    if (trustDomain.isEmpty() || !trustDomain.chars().allMatch(SpiffeId::trustDomainChar)) {
      return Optional.empty();
    }
    if (!path.isEmpty()) {
      for (String segment : path.substring(1).split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
            || !segment.chars().allMatch(SpiffeId::pathChar)) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(new SpiffeId(trustDomain, path));
  }

  /**
   * The SPIFFE ID of an X.509-SVID: its only URI SAN, when that is a valid SPIFFE ID; empty for a
   * certificate with no URI SAN, several, or one that is not a SPIFFE ID. For peers that passed the
   * TLS context's validation (RBAC, access logs, XFCC).
   */
  public static Optional<SpiffeId> of(X509Certificate certificate) {
    List<String> uris = uriSans(certificate);
    return uris.size() == 1 ? parse(uris.get(0)) : Optional.empty();
  }

  /** Every URI subject alternative name of {@code certificate}, in order. */
  static List<String> uriSans(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException unparsable) {
      return List.of();
    }
    if (names == null) {
      return List.of();
    }
    List<String> uris = new ArrayList<>(1);
    for (List<?> name : names) {
      if (((Integer) name.get(0)) == URI_SAN) {
        uris.add((String) name.get(1));
      }
    }
    return uris;
  }

  private static boolean trustDomainChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  }

  private static boolean pathChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '-' || c == '_';
  }

  @Override
  public String toString() {
    return SCHEME + trustDomain + path;
  }
}
