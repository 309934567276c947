package dev.outrigger.proxy.config;

/** A PEM certificate chain (leaf first) and its PEM private key, resolved from inline or file data. */
public record CertificateKeyPair(String certificateChainPem, String privateKeyPem) {
  @Override
  public String toString() {
    // Never print key material: config dumps and logs go through toString.
    return "CertificateKeyPair[certificateChainPem=" + certificateChainPem.length()
        + " chars, privateKeyPem=<redacted>]";
  }
}
