package dev.outrigger.proxy.identity;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/**
 * Whether a private key belongs to a certificate's public key, proven by signing a random challenge
 * and verifying it. java-spiffe parses an SVID's key and chain without checking that they match; a
 * mismatched pair would otherwise fail every TLS handshake instead of being rejected once.
 */
final class KeyPairCheck {
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyPairCheck() {}

  static void requireMatch(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
    String algorithm = signatureAlgorithm(publicKey);
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(privateKey);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(publicKey);
    verifier.update(challenge);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException("the private key does not belong to the certificate");
    }
  }

  /** The key types java-spiffe accepts in an X.509-SVID. */
  private static String signatureAlgorithm(PublicKey key) throws GeneralSecurityException {
    switch (key.getAlgorithm()) {
      case "EC":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      default:
        throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
    }
  }
}
