package dev.outrigger.controlplane.ca;

import java.security.InvalidAlgorithmParameterException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;

/**
 * The CA's own keys are EC P-256: the curve the proxies use for their leaves, small certificates
 * and fast handshakes, supported by every TLS stack we meet (BoringSSL, the JDK, OpenSSL, SPIRE).
 * Operator keys may also be RSA; the signature algorithm follows the signing key.
 */
public final class KeyAlgorithm {
  private KeyAlgorithm() {}

  /** A fresh EC P-256 key pair (the CA's roots, the control plane's serving key, test workloads). */
  public static KeyPair newEcP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("EC P-256 is not available in this JDK", e);
    }
  }

  /** The signature algorithm a key of this type signs with. */
  static String signatureAlgorithm(Key signingKey) {
    switch (signingKey.getAlgorithm()) {
      case "EC":
      case "ECDSA":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      default:
        throw new IllegalArgumentException("unsupported signing key type " + signingKey.getAlgorithm());
    }
  }

  static boolean isRsa(PublicKey key) {
    return "RSA".equals(key.getAlgorithm());
  }
}
