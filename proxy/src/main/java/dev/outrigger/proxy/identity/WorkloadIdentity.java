package dev.outrigger.proxy.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the SDS secrets {@code default} and {@code ROOTCA} hold: the workload's X.509-SVID with its
 * key, and the trust bundle its peers are checked against.
 *
 * @param certificateChain the leaf first, then any intermediates
 * @param privateKey the leaf's key; made on this machine and never sent anywhere
 * @param trustBundle the trust domain's roots; several at once while a root rotates
 */
public record WorkloadIdentity(
    List<X509Certificate> certificateChain, PrivateKey privateKey, List<X509Certificate> trustBundle) {

  public WorkloadIdentity {
    certificateChain = List.copyOf(certificateChain);
    trustBundle = List.copyOf(trustBundle);
    if (certificateChain.isEmpty()) {
      throw new IllegalArgumentException("a workload identity needs a certificate");
    }
  }

  public X509Certificate leaf() {
    return certificateChain.get(0);
  }
}
