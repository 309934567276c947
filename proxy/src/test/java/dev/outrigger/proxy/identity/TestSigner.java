package dev.outrigger.proxy.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A test-only certificate authority with BouncyCastle: a self-signed P-256 root that issues
 * X.509-SVID-shaped leaves (URI SANs, {@code cA=false}, critical digitalSignature, serverAuth and
 * clientAuth) and a TLS server certificate for 127.0.0.1.
 */
final class TestSigner {
  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

  final KeyPair rootKey;
  final X509Certificate root;

  TestSigner(String name, Instant now) {
    try {
      rootKey = newKey();
      X500Name subject = new X500Name("CN=" + name);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(30))), subject, rootKey.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      root = sign(builder);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** A leaf for {@code key} naming {@code uris}, valid from {@code notBefore} for {@code ttl}. */
  X509Certificate issueSvid(PublicKey key, List<String> uris, Instant notBefore, Duration ttl, boolean ca)
      throws Exception {
    GeneralName[] names = uris.stream()
        .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
        .toArray(GeneralName[]::new);
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(root, serial(), Date.from(notBefore), Date.from(notBefore.plus(ttl)),
            new X500Name("O=SPIFFE"), key)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    return sign(builder);
  }

  X509Certificate issueSvid(PublicKey key, String uri, Instant notBefore, Duration ttl) throws Exception {
    return issueSvid(key, List.of(uri), notBefore, ttl, false);
  }

  /** A TLS server certificate for 127.0.0.1, valid now in real time (TLS checks the real clock). */
  X509Certificate issueServer(PublicKey key) throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(root, serial(), Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=outrigger-ca"), key)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    return sign(builder);
  }

  private X509Certificate sign(X509v3CertificateBuilder builder) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  static String pem(X509Certificate certificate) {
    return write(certificate);
  }

  static String pem(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  static PKCS10CertificationRequest parseCsr(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return (PKCS10CertificationRequest) parser.readObject();
    }
  }
}
