package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import java.util.Optional;

/**
 * TLS contexts with static certificates. Files are read now, so that a missing or unreadable file
 * fails validation and not the first handshake; PEM parsing is left to the TLS code.
 */
final class TlsTranslator {
  private final Translation translation;

  TlsTranslator(Translation translation) {
    this.translation = translation;
  }

  Optional<DownstreamTlsConfig> downstream(DownstreamTlsContext context, FieldPath path) {
    CommonTlsContext common = context.getCommonTlsContext();
    FieldPath commonPath = path.field("common_tls_context");
    Optional<CertificateKeyPair> certificate = Optional.empty();
    if (common.getTlsCertificatesCount() == 1) {
      certificate = certificate(common.getTlsCertificates(0), commonPath.field("tls_certificates").index(0));
    } else {
      translation.error(commonPath.field("tls_certificates"),
          "exactly one certificate is required, found " + common.getTlsCertificatesCount());
    }
    Optional<String> trustedCa = trustedCa(common, commonPath);
    boolean requireClient = context.getRequireClientCertificate().getValue();
    if (requireClient && !common.getValidationContext().hasTrustedCa()) {
      translation.error(path.field("require_client_certificate"),
          "needs common_tls_context.validation_context.trusted_ca to verify client certificates");
    }
    List<String> alpn = common.getAlpnProtocolsList();
    return certificate.map(c -> new DownstreamTlsConfig(c, trustedCa, requireClient, alpn));
  }

  /**
   * @param defaultAlpn offered when {@code alpn_protocols} is empty, as Envoy does for clusters
   *     whose protocol is fixed by their protocol options
   */
  Optional<UpstreamTlsConfig> upstream(UpstreamTlsContext context, List<String> defaultAlpn, FieldPath path) {
    CommonTlsContext common = context.getCommonTlsContext();
    FieldPath commonPath = path.field("common_tls_context");
    Optional<CertificateKeyPair> certificate = Optional.empty();
    if (common.getTlsCertificatesCount() > 1) {
      translation.error(commonPath.field("tls_certificates"),
          "at most one client certificate is supported, found " + common.getTlsCertificatesCount());
    } else if (common.getTlsCertificatesCount() == 1) {
      certificate = certificate(common.getTlsCertificates(0), commonPath.field("tls_certificates").index(0));
    }
    List<String> alpn = common.getAlpnProtocolsCount() == 0 ? defaultAlpn : common.getAlpnProtocolsList();
    return Optional.of(new UpstreamTlsConfig(
        Translation.ifSet(context.getSni()), certificate, trustedCa(common, commonPath), alpn));
  }

  private Optional<CertificateKeyPair> certificate(TlsCertificate certificate, FieldPath path) {
    if (!certificate.hasCertificateChain()) {
      translation.error(path.field("certificate_chain"), "required");
    }
    if (!certificate.hasPrivateKey()) {
      translation.error(path.field("private_key"), "required");
    }
    if (!certificate.hasCertificateChain() || !certificate.hasPrivateKey()) {
      return Optional.empty();
    }
    Optional<String> chain = translation.text(certificate.getCertificateChain(), path.field("certificate_chain"));
    Optional<String> key = translation.text(certificate.getPrivateKey(), path.field("private_key"));
    return chain.flatMap(c -> key.map(k -> new CertificateKeyPair(c, k)));
  }

  private Optional<String> trustedCa(CommonTlsContext common, FieldPath path) {
    if (!common.getValidationContext().hasTrustedCa()) {
      return Optional.empty();
    }
    FieldPath caPath = path.field("validation_context").field("trusted_ca");
    return translation.text(common.getValidationContext().getTrustedCa(), caPath);
  }
}
