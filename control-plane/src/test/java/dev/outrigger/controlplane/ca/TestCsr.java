package dev.outrigger.controlplane.ca;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
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

/** CSRs as a workload would make them, and broken ones, for the CA's tests. */
public final class TestCsr {
  private final KeyPair keys;
  private final List<GeneralName> names = new ArrayList<>();
  private KeyPair signingKeys;

  private TestCsr(KeyPair keys) {
    this.keys = keys;
    this.signingKeys = keys;
  }

  public static TestCsr ec() {
    return new TestCsr(KeyAlgorithm.newEcP256());
  }

  public static TestCsr rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return new TestCsr(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public TestCsr uri(String uri) {
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
    return this;
  }

  public TestCsr dns(String name) {
    names.add(new GeneralName(GeneralName.dNSName, name));
    return this;
  }

  /** Signs the request with another key than the one it carries: an invalid signature. */
  public TestCsr signedByAnotherKey() {
    signingKeys = KeyAlgorithm.newEcP256();
    return this;
  }

  public KeyPair keys() {
    return keys;
  }

  /** The key as PKCS#8 PEM, for java-spiffe's X509Svid.parse. */
  public String keyPem() {
    return Pem.privateKey(keys.getPrivate());
  }

  public String pem() {
    try {
      JcaPKCS10CertificationRequestBuilder builder =
          new JcaPKCS10CertificationRequestBuilder(new X500Name("O=Test"), keys.getPublic());
      if (!names.isEmpty()) {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(new GeneralName[0])));
        builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      PKCS10CertificationRequest csr = builder.build(
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithm(signingKeys.getPrivate()))
              .build(signingKeys.getPrivate()));
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(csr);
      }
      return text.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}
