package dev.outrigger.proxy.identity;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** Whether a private key belongs to a certificate: sign a random challenge, verify with the certificate. */
public final class KeyPairCheck {
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyPairCheck() {}

  public static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm;
    switch (key.getAlgorithm()) {
      case "EC":
        algorithm = "SHA256withECDSA";
        break;
      case "RSA":
        algorithm = "SHA256withRSA";
        break;
      case "Ed25519":
      case "EdDSA":
        algorithm = "Ed25519";
        break;
      default:
        return false;
    }
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException mismatched) {
      return false;
    }
  }
}
