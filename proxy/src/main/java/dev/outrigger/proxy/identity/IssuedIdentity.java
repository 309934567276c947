package dev.outrigger.proxy.identity;

import dev.outrigger.api.ca.v1.SignResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the CA's answer into a {@link WorkloadIdentity}, but only if it is the certificate we asked
 * for: the chain parses, the leaf certifies our public key, its one URI SAN is the SPIFFE ID we
 * requested, it is not a CA, and it chains to one of the returned roots at {@code now}. Anything
 * else is a failed renewal, so a confused or compromised CA cannot make the proxy present someone
 * else's identity or a key it does not hold.
 */
final class IssuedIdentity {
  private static final int URI_SAN = 6;

  private IssuedIdentity() {}

  static WorkloadIdentity verify(SignResponse response, KeyPair keyPair, String spiffeId, Instant now)
      throws GeneralSecurityException {
    List<X509Certificate> chain = parse(response.getCertificateChainPemList(), "certificate_chain_pem");
    List<X509Certificate> bundle = parse(response.getTrustBundlePemList(), "trust_bundle_pem");
    X509Certificate leaf = chain.get(0);
    if (!Arrays.equals(leaf.getPublicKey().getEncoded(), keyPair.getPublic().getEncoded())) {
      throw new GeneralSecurityException("the issued certificate is not for the key we sent");
    }
    List<String> uris = uriSans(leaf);
    if (!uris.equals(List.of(spiffeId))) {
      throw new GeneralSecurityException("the issued certificate names " + uris + ", we asked for " + spiffeId);
    }
    if (leaf.getBasicConstraints() != -1) {
      throw new GeneralSecurityException("the issued certificate is a CA certificate");
    }
    chainsToBundle(chain, bundle, now);
    return new WorkloadIdentity(chain, keyPair.getPrivate(), bundle);
  }

  private static List<X509Certificate> parse(List<String> pems, String field) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    for (String pem : pems) {
      Collection<? extends Certificate> parsed =
          factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      for (Certificate certificate : parsed) {
        certificates.add((X509Certificate) certificate);
      }
    }
    if (certificates.isEmpty()) {
      throw new CertificateException("the CA's response has no " + field);
    }
    return certificates;
  }

  private static List<String> uriSans(X509Certificate leaf) throws CertificateParsingException {
    Collection<List<?>> names = leaf.getSubjectAlternativeNames();
    List<String> uris = new ArrayList<>();
    if (names != null) {
      for (List<?> name : names) {
        if (((Integer) name.get(0)) == URI_SAN) {
          uris.add((String) name.get(1));
        }
      }
    }
    return uris;
  }

  private static void chainsToBundle(List<X509Certificate> chain, List<X509Certificate> bundle, Instant now)
      throws GeneralSecurityException {
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate root : bundle) {
      anchors.add(new TrustAnchor(root, null));
    }
    PKIXParameters parameters = new PKIXParameters(anchors);
    // The roots come with the leaf, from the CA itself; there is no revocation list to consult.
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(now));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
  }
}
