package dev.outrigger.controlplane.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * An operator's own root, or root plus intermediate, from PEM files, checked before the CA uses
 * it: the signing certificate is a CA allowed to sign certificates, the key is its key, each
 * certificate is signed by the next, the root is self-signed, and all are valid now.
 */
public final class OperatorAuthority {
  private OperatorAuthority() {}

  /**
   * @param rootCert the root that goes into the trust bundle
   * @param intermediateCert the certificate that signs leaves (and any intermediates above it,
   *     signing certificate first), or null when the root signs
   * @param signingKey the key of the intermediate, or of the root when there is none
   */
  public static Authority load(Path rootCert, Path intermediateCert, Path signingKey, Instant now)
      throws IOException {
    List<X509Certificate> roots = Pem.parseCertificates(read(rootCert));
    if (roots.size() != 1) {
      throw new IOException(rootCert + ": expected one root certificate, found " + roots.size());
    }
    List<X509Certificate> intermediates =
        intermediateCert == null ? List.of() : Pem.parseCertificates(read(intermediateCert));
    if (intermediateCert != null && intermediates.isEmpty()) {
      throw new IOException(intermediateCert + ": no certificate found");
    }
    Authority authority =
        new Authority(roots.get(0), intermediates, Pem.parsePrivateKey(read(signingKey)));
    check(authority, now);
    return authority;
  }

  private static void check(Authority authority, Instant now) throws IOException {
    X509Certificate signing = authority.signingCertificate();
    boolean[] keyUsage = signing.getKeyUsage();
    if (signing.getBasicConstraints() < 0 || keyUsage == null || !keyUsage[5]) {
      throw new IOException(name(signing) + " is not a CA certificate allowed to sign certificates"
          + " (needs basicConstraints cA=true and keyUsage keyCertSign)");
    }
    if (!keyMatches(authority.signingKey(), signing)) {
      throw new IOException("the key does not belong to " + name(signing));
    }
    List<X509Certificate> path = authority.signingPath();
    for (int i = 0; i < path.size(); i++) {
      X509Certificate certificate = path.get(i);
      X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : certificate;
      try {
        certificate.checkValidity(Date.from(now));
      } catch (GeneralSecurityException e) {
        throw new IOException(name(certificate) + " is not valid now: " + e.getMessage(), e);
      }
      try {
        certificate.verify(issuer.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new IOException(name(certificate) + (issuer == certificate ? " is not a valid self-signed root: "
            : " is not validly signed by " + name(issuer) + ": ") + e.getMessage(), e);
      }
    }
  }

  /** Signs a probe and checks it with the certificate's public key: works for every key type. */
  private static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
    try {
      byte[] probe = "outrigger key check".getBytes(StandardCharsets.US_ASCII);
      String algorithm = KeyAlgorithm.signatureAlgorithm(key);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String name(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "'";
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
