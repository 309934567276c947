package dev.outrigger.proxy.identity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A new EC P-256 key pair and the PKCS#10 request that asks the CA to certify its public half for
 * one SPIFFE ID. Only {@link #csrPem()} leaves the process; the key pair stays in memory.
 */
record SigningRequest(KeyPair keyPair, String csrPem) {
  private static final X500Name NO_SUBJECT = new X500Name(new RDN[0]);

  static SigningRequest forId(String spiffeId) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keyPair = generator.generateKeyPair();
    return new SigningRequest(keyPair, pem(csr(keyPair, spiffeId)));
  }

  /**
   * The X.509-SVID profile identifies a workload by its single URI SAN, not its subject; with an
   * empty subject RFC 5280 wants that SAN extension critical.
   */
  private static PKCS10CertificationRequest csr(KeyPair keyPair, String spiffeId)
      throws GeneralSecurityException {
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(
          Extension.subjectAlternativeName,
          true,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
      return new JcaPKCS10CertificationRequestBuilder(NO_SUBJECT, keyPair.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build the certificate signing request", e);
    }
  }

  private static String pem(PKCS10CertificationRequest csr) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(csr);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString();
  }
}
