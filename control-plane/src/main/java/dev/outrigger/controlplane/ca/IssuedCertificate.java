package dev.outrigger.controlplane.ca;

import io.spiffe.spiffeid.SpiffeId;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A signed leaf and what the caller needs with it.
 *
 * @param chain the leaf first, then intermediates (not the root)
 * @param bundle every root of the trust domain, more than one during a rotation
 */
public record IssuedCertificate(SpiffeId spiffeId, List<X509Certificate> chain,
    List<X509Certificate> bundle) {
  public IssuedCertificate {
    chain = List.copyOf(chain);
    bundle = List.copyOf(bundle);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Lower-case hex, as {@code openssl x509 -serial} prints it (there in upper case). */
  public String serialHex() {
    return leaf().getSerialNumber().toString(16);
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }
}
