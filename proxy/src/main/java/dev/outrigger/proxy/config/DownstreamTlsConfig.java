package dev.outrigger.proxy.config;

import java.util.List;
import java.util.Optional;

/**
 * TLS termination for a filter chain ({@code DownstreamTlsContext}).
 *
 * @param certificate the server's certificate chain and key
 * @param trustedCaPem when present, client certificates are verified against these roots
 * @param requireClientCertificate reject handshakes without a valid client certificate
 * @param alpnProtocols offered in preference order; empty means the listener's codec decides
 */
public record DownstreamTlsConfig(
    CertificateKeyPair certificate,
    Optional<String> trustedCaPem,
    boolean requireClientCertificate,
    List<String> alpnProtocols) {

  public DownstreamTlsConfig {
    alpnProtocols = List.copyOf(alpnProtocols);
  }
}
