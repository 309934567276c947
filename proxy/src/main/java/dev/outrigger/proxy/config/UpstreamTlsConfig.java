package dev.outrigger.proxy.config;

import java.util.List;
import java.util.Optional;

/**
 * TLS origination towards a cluster ({@code UpstreamTlsContext}).
 *
 * @param sni server name sent in the ClientHello; empty sends none
 * @param clientCertificate presented when the upstream asks for one
 * @param trustedCaPem verify the upstream against these roots; empty means no verification, which
 *     Envoy also does and which the validator warns about
 * @param alpnProtocols offered in preference order
 */
public record UpstreamTlsConfig(
    Optional<String> sni,
    Optional<CertificateKeyPair> clientCertificate,
    Optional<String> trustedCaPem,
    List<String> alpnProtocols) {

  public UpstreamTlsConfig {
    alpnProtocols = List.copyOf(alpnProtocols);
  }
}
