package dev.outrigger.controlplane.ca.service;

import dev.outrigger.controlplane.audit.AuditEvent;
import dev.outrigger.controlplane.audit.AuditSink;
import dev.outrigger.controlplane.ca.CertificateAuthority;
import dev.outrigger.controlplane.ca.IssuedCertificate;
import dev.outrigger.controlplane.ca.KeyAlgorithm;
import io.spiffe.spiffeid.SpiffeId;
import java.io.IOException;
import java.net.Socket;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The control plane's own TLS certificate, issued by its CA and swapped for a new one by
 * {@link #renew()}: a key manager whose current key and chain are one volatile snapshot, so a
 * renewal applies to the next handshake and established connections carry on.
 */
final class ServingIdentity extends X509ExtendedKeyManager {
  private static final String ALIAS = "control-plane";

  private record Current(PrivateKey key, X509Certificate[] chain, IssuedCertificate issued) {}

  private final CertificateAuthority ca;
  private final SpiffeId spiffeId;
  private final List<String> dnsNames;
  private final List<String> ipAddresses;
  private final AuditSink audit;
  private final Clock clock;
  private volatile Current current;

  ServingIdentity(CertificateAuthority ca, SpiffeId spiffeId, List<String> dnsNames,
      List<String> ipAddresses, AuditSink audit, Clock clock) {
    this.ca = ca;
    this.spiffeId = spiffeId;
    this.dnsNames = List.copyOf(dnsNames);
    this.ipAddresses = List.copyOf(ipAddresses);
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * A new key and certificate, signed by the CA's issuing authority of the moment (so after a
   * root rotation the server moves to the new root too).
   *
   * @return how long until the next renewal: half of the new certificate's lifetime
   */
  Duration renew() throws IOException {
    KeyPair keys = KeyAlgorithm.newEcP256();
    IssuedCertificate issued = ca.issueServing(keys.getPublic(), spiffeId, dnsNames, ipAddresses);
    current = new Current(keys.getPrivate(), issued.chain().toArray(new X509Certificate[0]), issued);
    audit.record(AuditEvent.issued(clock.instant(), spiffeId.toString(), "control-plane",
        issued.serialHex(), issued.notAfter()));
    return Duration.between(clock.instant(), issued.notAfter()).dividedBy(2);
  }

  IssuedCertificate certificate() {
    return current.issued();
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return ALIAS;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? current.chain().clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? current.key() : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  /** A server only: it never presents a client certificate. */
  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
