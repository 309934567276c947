package dev.outrigger.proxy.authz;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * The names in a connection's validated client certificate, read once per connection: URI SANs
 * (the SPIFFE ID), DNS SANs and the subject in RFC 2253 form, which is what Envoy's RBAC
 * {@code authenticated.principal_name} and {@code x-forwarded-client-cert} look at.
 *
 * @param authenticated the peer presented a certificate that the TLS context validated
 */
public record PeerIdentity(
    boolean authenticated, List<String> uriSans, List<String> dnsSans, String subject) {
  /** A connection without a client certificate. */
  public static final PeerIdentity NONE = new PeerIdentity(false, List.of(), List.of(), "");

  private static final int DNS_NAME = 2;
  private static final int URI = 6;

  public PeerIdentity {
    uriSans = List.copyOf(uriSans);
    dnsSans = List.copyOf(dnsSans);
  }

  public static PeerIdentity of(Optional<X509Certificate> certificate) {
    return certificate.map(PeerIdentity::of).orElse(NONE);
  }

  public static PeerIdentity of(X509Certificate certificate) {
    List<String> uris = new ArrayList<>();
    List<String> dnsNames = new ArrayList<>();
    for (List<?> name : subjectAltNames(certificate)) {
      Object type = name.get(0);
      if (type instanceof Integer && (Integer) type == URI) {
        uris.add((String) name.get(1));
      } else if (type instanceof Integer && (Integer) type == DNS_NAME) {
        dnsNames.add((String) name.get(1));
      }
    }
    String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    return new PeerIdentity(true, uris, dnsNames, subject);
  }

  private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      return names == null ? List.of() : names;
    } catch (CertificateParsingException e) {
      // The TLS context accepted the certificate, so its extension parses; a failure means no names.
      return List.of();
    }
  }

  /** The first URI SAN (a SPIFFE certificate has exactly one), or empty. */
  public String spiffeId() {
    return uriSans.isEmpty() ? "" : uriSans.get(0);
  }
}
