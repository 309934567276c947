package dev.outrigger.controlplane.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM text to and from certificates, keys and CSRs. Keys are always written as PKCS#8. */
public final class Pem {
  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    return write(certificate);
  }

  public static String certificates(List<X509Certificate> certificates) {
    StringBuilder text = new StringBuilder();
    certificates.forEach(certificate -> text.append(write(certificate)));
    return text.toString();
  }

  /** PKCS#8 ("BEGIN PRIVATE KEY"), the one format java-spiffe and BoringSSL both read. */
  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every certificate in {@code text}, in order; other PEM objects are an error. */
  public static List<X509Certificate> parseCertificates(String text) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (!(object instanceof X509CertificateHolder)) {
          throw new IOException("expected only certificates, found " + object.getClass().getSimpleName());
        }
        certificates.add(new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) object));
      }
    } catch (CertificateException e) {
      throw new IOException("invalid certificate: " + e.getMessage(), e);
    }
    return certificates;
  }

  /** A private key in PKCS#8 or the traditional OpenSSL formats (operators bring either). */
  public static PrivateKey parsePrivateKey(String text) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo) {
        return converter.getPrivateKey((PrivateKeyInfo) object);
      }
      if (object instanceof PEMKeyPair) {
        return converter.getKeyPair((PEMKeyPair) object).getPrivate();
      }
      throw new IOException("expected an unencrypted private key (PKCS#8 or traditional PEM)");
    }
  }

  /** One PKCS#10 request; anything else is an error. */
  static PKCS10CertificationRequest parseCsr(String text) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object object = parser.readObject();
      if (!(object instanceof PKCS10CertificationRequest)) {
        throw new IOException("expected a PEM certificate request (BEGIN CERTIFICATE REQUEST)");
      }
      return (PKCS10CertificationRequest) object;
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
}
