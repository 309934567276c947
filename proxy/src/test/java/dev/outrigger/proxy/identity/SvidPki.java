package dev.outrigger.proxy.identity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made with BouncyCastle: roots of a trust domain and X.509-SVIDs issued by them,
 * with every deviation from the profile a test needs (extra URI SANs, a CA leaf, expired...).
 */
final class SvidPki {
  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

  private SvidPki() {}

  /** A root (self-signed CA) of a trust domain. */
  record Ca(X509Certificate certificate, PrivateKey key) {
    static Ca create(String name) {
      KeyPair keys = ecKeys();
      Instant now = Instant.now();
      return new Ca(sign(new X500Name("CN=" + name), keys, new X500Name("CN=" + name), keys.getPrivate(),
          now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), List.of(), true, null), keys.getPrivate());
    }

    Leaf issue(String... uris) {
      return leaf().uris(uris).issue();
    }

    LeafBuilder leaf() {
      return new LeafBuilder(this);
    }

    String pem() {
      return SvidPki.pem(List.of(certificate));
    }
  }

  /** An issued certificate with its key. */
  record Leaf(X509Certificate certificate, PrivateKey key, Ca issuer) {
    WorkloadIdentity identity(List<X509Certificate> bundle) {
      return new WorkloadIdentity(List.of(certificate), key, bundle);
    }

    String certificatePem() {
      return SvidPki.pem(List.of(certificate));
    }

    String keyPem() {
      try (StringWriter text = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(new JcaPKCS8Generator(key, null));
        writer.flush();
        return text.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Writes {@code cert.pem}, {@code key.pem} and {@code bundle.pem} (of {@code roots}) into {@code dir}. */
    void write(Path dir, Ca... roots) {
      List<X509Certificate> bundle = new ArrayList<>();
      for (Ca root : roots) {
        bundle.add(root.certificate());
      }
      try {
        // Each file is replaced atomically, as a deployment tool (or kubelet's symlink swap) does.
        replace(dir.resolve("cert.pem"), certificatePem());
        replace(dir.resolve("key.pem"), keyPem());
        replace(dir.resolve("bundle.pem"), SvidPki.pem(bundle));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static void replace(Path file, String text) throws IOException {
    Path temporary = Files.createTempFile(file.getParent(), ".tmp", ".pem");
    Files.writeString(temporary, text, StandardCharsets.US_ASCII);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static final class LeafBuilder {
    private final Ca ca;
    private List<String> uris = List.of();
    private boolean isCa;
    private Instant notBefore = Instant.now().minus(Duration.ofMinutes(5));
    private Instant notAfter = Instant.now().plus(Duration.ofHours(1));
    private boolean keyCertSign;

    LeafBuilder(Ca ca) {
      this.ca = ca;
    }

    LeafBuilder uris(String... uris) {
      this.uris = List.of(uris);
      return this;
    }

    LeafBuilder ca() {
      this.isCa = true;
      return this;
    }

    LeafBuilder keyCertSign() {
      this.keyCertSign = true;
      return this;
    }

    LeafBuilder validity(Instant notBefore, Instant notAfter) {
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    Leaf issue() {
      KeyPair keys = ecKeys();
      int usage = KeyUsage.digitalSignature | (keyCertSign || isCa ? KeyUsage.keyCertSign : 0);
      X509Certificate certificate = sign(new X500Name("O=outrigger-test"), keys,
          X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), ca.key(), notBefore, notAfter,
          uris, isCa, usage);
      return new Leaf(certificate, keys.getPrivate(), ca);
    }
  }

  static String pem(List<X509Certificate> certificates) {
    try (StringWriter text = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
      writer.flush();
      return text.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @param leafUsage key usage bits of a leaf; null for a root (keyCertSign, cRLSign) */
  private static X509Certificate sign(
      X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey, Instant notBefore, Instant notAfter,
      List<String> uris, boolean isCa, Integer leafUsage) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          issuer, BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
          subject, keys.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
      if (leafUsage == null) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(leafUsage));
        builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      }
      if (!uris.isEmpty()) {
        GeneralName[] names = uris.stream()
            .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
            .toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
