package dev.outrigger.proxy.config;

import java.util.List;
import java.util.Optional;

/**
 * TLS origination towards a cluster ({@code UpstreamTlsContext}).
 *
 * @param sni server name sent in the ClientHello; empty sends none
 * @param clientCertificate presented when the upstream asks for one
 * @param workloadCertificate present the workload's identity (SDS secret {@code default}) instead
 *     of {@code clientCertificate}
 * @param trustedCaPem verify the upstream against these roots; empty (and no peer validation)
 *     means no verification, which Envoy also does and which the validator warns about
 * @param alpnProtocols offered in preference order
 * @param peerValidation SPIFFE validation against the workload's bundle and SAN matchers
 * @param parameters TLS versions and cipher suites
 */
public record UpstreamTlsConfig(
    Optional<String> sni,
    Optional<CertificateKeyPair> clientCertificate,
    boolean workloadCertificate,
    Optional<String> trustedCaPem,
    List<String> alpnProtocols,
    PeerValidation peerValidation,
    TlsParameters parameters) {

  public UpstreamTlsConfig {
    alpnProtocols = List.copyOf(alpnProtocols);
    if (workloadCertificate && clientCertificate.isPresent()) {
      throw new IllegalArgumentException("either the workload certificate or a static one");
    }
  }

  /** Static material, default TLS parameters. */
  public UpstreamTlsConfig(
      Optional<String> sni,
      Optional<CertificateKeyPair> clientCertificate,
      Optional<String> trustedCaPem,
      List<String> alpnProtocols) {
    this(sni, clientCertificate, false, trustedCaPem, alpnProtocols, PeerValidation.NONE, TlsParameters.DEFAULT);
  }
}
