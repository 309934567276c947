package dev.outrigger.proxy.config;

import java.util.List;
import java.util.Optional;

/**
 * TLS termination for a filter chain ({@code DownstreamTlsContext}).
 *
 * @param certificate the server's certificate chain and key; empty means the workload's identity
 *     (SDS secret {@code default}), current at each handshake
 * @param trustedCaPem when present, client certificates are verified against these roots
 * @param requireClientCertificate reject handshakes without a valid client certificate
 * @param alpnProtocols offered in preference order; empty means the listener's codec decides
 * @param peerValidation SPIFFE validation against the workload's bundle and SAN matchers
 * @param parameters TLS versions and cipher suites
 */
public record DownstreamTlsConfig(
    Optional<CertificateKeyPair> certificate,
    Optional<String> trustedCaPem,
    boolean requireClientCertificate,
    List<String> alpnProtocols,
    PeerValidation peerValidation,
    TlsParameters parameters) {

  public DownstreamTlsConfig {
    alpnProtocols = List.copyOf(alpnProtocols);
  }

  /** A static certificate, static roots, default TLS parameters. */
  public DownstreamTlsConfig(
      CertificateKeyPair certificate,
      Optional<String> trustedCaPem,
      boolean requireClientCertificate,
      List<String> alpnProtocols) {
    this(Optional.of(certificate), trustedCaPem, requireClientCertificate, alpnProtocols,
        PeerValidation.NONE, TlsParameters.DEFAULT);
  }

  /** Whether the workload's certificate (SDS {@code default}) is presented. */
  public boolean usesWorkloadCertificate() {
    return certificate.isEmpty();
  }

  public DownstreamTlsConfig withAlpnProtocols(List<String> protocols) {
    return new DownstreamTlsConfig(
        certificate, trustedCaPem, requireClientCertificate, protocols, peerValidation, parameters);
  }
}
