package dev.outrigger.controlplane.ca;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What signs leaves: a root of the trust bundle and, when the operator brought one, the
 * intermediates between it and the signing certificate. Without intermediates the root signs.
 *
 * @param root the self-signed root that goes into the trust bundle
 * @param intermediates the signing certificate first, up to (not including) the root; may be empty
 * @param signingKey the private key of {@link #signingCertificate()}
 */
public record Authority(X509Certificate root, List<X509Certificate> intermediates, PrivateKey signingKey) {
  public Authority {
    intermediates = List.copyOf(intermediates);
  }

  public X509Certificate signingCertificate() {
    return intermediates.isEmpty() ? root : intermediates.get(0);
  }

  /** A stable name for the state directory and the CLI: the start of the signing certificate's fingerprint. */
  public String id() {
    return fingerprint(signingCertificate()).substring(0, 16);
  }

  /** SHA-256 of the DER encoding, lower-case hex (as {@code openssl x509 -fingerprint -sha256}, without colons). */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate", e);
    }
  }

  /** The root and intermediates as one list, signing certificate first: for checks and status. */
  List<X509Certificate> signingPath() {
    List<X509Certificate> path = new ArrayList<>(intermediates);
    path.add(root);
    return path;
  }
}
