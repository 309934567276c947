package dev.outrigger.controlplane.ca;

import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.spiffeid.TrustDomain;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes the two kinds of certificate the CA signs: self-signed roots and X.509-SVID leaves. */
final class CertificateBuilder {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter ROOT_NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private CertificateBuilder() {}

  /**
   * A self-signed root for {@code trustDomain} (named in its URI SAN). Its subject carries the
   * creation time and the start of its key's hash so that an old and a new root never share a
   * name, not even when made in the same second: verifiers that build chains by name would mix
   * them up.
   */
  static Authority selfSignedRoot(TrustDomain trustDomain, Instant created, Instant notBefore,
      Instant notAfter) {
    KeyPair keys = KeyAlgorithm.newEcP256();
    X500Name name = new X500Name("O=Outrigger,CN=Outrigger root " + ROOT_NAME_TIME.format(created)
        + " " + keyHash(keys.getPublic()).substring(0, 8));
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore), Date.from(notAfter),
                  name, keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(Extension.keyUsage, true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()))
              // A signing certificate may name its trust domain (X.509-SVID §4.1): no path.
              .addExtension(Extension.subjectAlternativeName, false,
                  new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                      trustDomain.toIdString())));
      return new Authority(sign(builder, keys.getPrivate()), List.of(), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make a root certificate", e);
    }
  }

  /**
   * An X.509-SVID leaf: exactly one URI SAN (the SPIFFE ID, plus only the DNS/IP names given),
   * {@code cA=false} and KeyUsage critical, digitalSignature (and keyEncipherment for an RSA key),
   * serverAuth and clientAuth, key identifiers, a random serial.
   */
  static X509Certificate leaf(Authority authority, PublicKey subjectKey, SpiffeId spiffeId,
      List<GeneralName> otherNames, Instant notBefore, Instant notAfter) {
    X509Certificate issuer = authority.signingCertificate();
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId.toString()));
    names.addAll(otherNames);
    int keyUsage = KeyUsage.digitalSignature;
    if (KeyAlgorithm.isRsa(subjectKey)) {
      keyUsage |= KeyUsage.keyEncipherment;
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore), Date.from(notAfter),
                  new X500Name("O=Outrigger"), subjectKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
              .addExtension(Extension.extendedKeyUsage, false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
              .addExtension(Extension.subjectKeyIdentifier, false,
                  extensions.createSubjectKeyIdentifier(subjectKey))
              .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(issuer, extensions))
              .addExtension(Extension.subjectAlternativeName, false,
                  new GeneralNames(names.toArray(new GeneralName[0])));
      return sign(builder, authority.signingKey());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot sign a certificate for " + spiffeId, e);
    }
  }

  /** The issuer's own subject key id when it has one (an operator's root may use another method). */
  private static AuthorityKeyIdentifier authorityKeyId(X509Certificate issuer,
      JcaX509ExtensionUtils extensions) throws GeneralSecurityException {
    Extension ski = new JcaX509CertificateHolder(issuer).getExtension(Extension.subjectKeyIdentifier);
    if (ski == null) {
      return extensions.createAuthorityKeyIdentifier(issuer.getPublicKey());
    }
    return new AuthorityKeyIdentifier(
        SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(
              new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithm(key)).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String keyHash(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Positive and unpredictable: 127 random bits (RFC 5280 allows 20 octets; at least 64 bits are asked for). */
  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
