package dev.outrigger.controlplane.ca;

import io.spiffe.exception.InvalidSpiffeIdException;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks a PKCS#10 request before anything is signed: it is signed by the key it carries, it asks
 * for exactly one URI SAN and nothing else, that URI is a SPIFFE ID of our trust domain, and the
 * key is one we are willing to certify (EC P-256/P-384, RSA of at least 2048 bits).
 */
final class CsrValidator {
  private static final int MIN_RSA_BITS = 2048;

  private final TrustDomain trustDomain;

  CsrValidator(TrustDomain trustDomain) {
    this.trustDomain = trustDomain;
  }

  CertificateRequest validate(String csrPem) throws CsrRejectedException {
    PKCS10CertificationRequest csr;
    PublicKey key;
    try {
      csr = Pem.parseCsr(csrPem);
      key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
    } catch (IOException | RuntimeException | GeneralSecurityException e) {
      throw new CsrRejectedException("unreadable CSR: " + e.getMessage());
    }
    checkSignature(csr, key);
    checkKey(csr.getSubjectPublicKeyInfo().getAlgorithm(), key);
    return new CertificateRequest(spiffeId(csr), key);
  }

  private static void checkSignature(PKCS10CertificationRequest csr, PublicKey key)
      throws CsrRejectedException {
    boolean valid;
    try {
      valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      throw new CsrRejectedException("CSR signature cannot be checked: " + e.getMessage());
    }
    if (!valid) {
      throw new CsrRejectedException("CSR signature is invalid (not signed by the key it carries)");
    }
  }

  private static void checkKey(AlgorithmIdentifier algorithm, PublicKey key) throws CsrRejectedException {
    if (KeyAlgorithm.isRsa(key)) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new CsrRejectedException("RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " needed");
      }
      return;
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
      Object curve = algorithm.getParameters();
      if (X9ObjectIdentifiers.prime256v1.equals(curve) || SECObjectIdentifiers.secp384r1.equals(curve)) {
        return;
      }
      throw new CsrRejectedException("EC key on curve " + curve + "; only P-256 and P-384 are accepted");
    }
    throw new CsrRejectedException("key type " + key.getAlgorithm() + " is not accepted (EC P-256/P-384 or RSA)");
  }

  /** The one URI SAN, which must be a SPIFFE ID of our trust domain; no other SAN may be asked for. */
  private SpiffeId spiffeId(PKCS10CertificationRequest csr) throws CsrRejectedException {
    List<GeneralName> sans = subjectAltNames(csr);
    List<String> uris = new ArrayList<>();
    for (GeneralName name : sans) {
      if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
        throw new CsrRejectedException("CSR asks for a SAN other than a URI (type " + name.getTagNo()
            + "); a workload certificate carries only its SPIFFE ID");
      }
      uris.add(name.getName().toString());
    }
    if (uris.size() != 1) {
      throw new CsrRejectedException("CSR must carry exactly one URI SAN (the SPIFFE ID), found "
          + uris.size() + (uris.isEmpty() ? "" : ": " + uris));
    }
    SpiffeId id;
    try {
      id = SpiffeId.parse(uris.get(0));
    } catch (InvalidSpiffeIdException | IllegalArgumentException e) {
      throw new CsrRejectedException("URI SAN '" + uris.get(0) + "' is not a SPIFFE ID: " + e.getMessage());
    }
    if (!id.memberOf(trustDomain)) {
      throw new CsrRejectedException(
          "SPIFFE ID " + id + " is outside the trust domain " + trustDomain.getName());
    }
    if (id.getPath().isEmpty()) {
      throw new CsrRejectedException("SPIFFE ID " + id + " names the trust domain, not a workload");
    }
    return id;
  }

  private static List<GeneralName> subjectAltNames(PKCS10CertificationRequest csr)
      throws CsrRejectedException {
    Attribute[] requests = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
    if (requests.length != 1) {
      throw new CsrRejectedException("CSR must carry one extensionRequest attribute with the SPIFFE ID SAN");
    }
    try {
      // Only the SAN is taken from the request; every other extension of a leaf is the CA's choice.
      Extensions extensions = Extensions.getInstance(requests[0].getAttrValues().getObjectAt(0));
      GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
      return names == null ? List.of() : List.of(names.getNames());
    } catch (IllegalArgumentException e) {
      throw new CsrRejectedException("malformed extensionRequest: " + e.getMessage());
    }
  }
}
