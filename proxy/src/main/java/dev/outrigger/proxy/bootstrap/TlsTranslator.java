package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.PeerValidation;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.config.TlsParameters;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TLS contexts. Static files are read now, so that a missing or unreadable file fails validation
 * and not the first handshake; PEM parsing is left to the TLS code. SDS secrets resolve to
 * {@code static_resources.secrets} when declared there, else {@code default} (the workload
 * certificate) and {@code ROOTCA} (the workload's trust bundle) to the proxy's identity source, as
 * Istio names them.
 */
final class TlsTranslator {
  static final String WORKLOAD_CERTIFICATE = "default";
  static final String WORKLOAD_BUNDLE = "ROOTCA";

  /** OpenSSL names (as Envoy takes them) of the TLS 1.2 suites allowed, to IANA names. */
  private static final Map<String, String> TLS12_SUITES = Map.of(
      "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final Translation translation;

  TlsTranslator(Translation translation) {
    this.translation = translation;
  }

  /** The certificate: static, or empty for the workload's; a failed lookup is a reported error. */
  private record Certificate(Optional<CertificateKeyPair> pair, boolean workload) {}

  /** Roots and checks of the peer. */
  private record Validation(Optional<String> trustedCaPem, PeerValidation peer) {
    static final Validation NONE = new Validation(Optional.empty(), PeerValidation.NONE);

    boolean verifies() {
      return trustedCaPem.isPresent() || peer.workloadBundle();
    }
  }

  Optional<DownstreamTlsConfig> downstream(DownstreamTlsContext context, FieldPath path) {
    CommonTlsContext common = context.getCommonTlsContext();
    FieldPath commonPath = path.field("common_tls_context");
    int errors = translation.errorCount();
    Optional<Certificate> certificate = certificate(common, commonPath, true);
    Validation validation = validation(common, commonPath);
    TlsParameters parameters = parameters(common, commonPath);
    boolean requireClient = context.getRequireClientCertificate().getValue();
    if (requireClient && !validation.verifies()) {
      translation.error(path.field("require_client_certificate"),
          "needs common_tls_context.validation_context.trusted_ca or a validation context SDS secret"
              + " to verify client certificates");
    }
    if (translation.errorCount() > errors || certificate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DownstreamTlsConfig(
        certificate.get().pair(), validation.trustedCaPem(), requireClient, common.getAlpnProtocolsList(),
        validation.peer(), parameters));
  }

  /**
   * @param defaultAlpn offered when {@code alpn_protocols} is empty, as Envoy does for clusters
   *     whose protocol is fixed by their protocol options
   */
  Optional<UpstreamTlsConfig> upstream(UpstreamTlsContext context, List<String> defaultAlpn, FieldPath path) {
    CommonTlsContext common = context.getCommonTlsContext();
    FieldPath commonPath = path.field("common_tls_context");
    int errors = translation.errorCount();
    Optional<Certificate> certificate = certificate(common, commonPath, false);
    Validation validation = validation(common, commonPath);
    TlsParameters parameters = parameters(common, commonPath);
    if (translation.errorCount() > errors) {
      return Optional.empty();
    }
    List<String> alpn = common.getAlpnProtocolsCount() == 0 ? defaultAlpn : common.getAlpnProtocolsList();
    return Optional.of(new UpstreamTlsConfig(
        Translation.ifSet(context.getSni()),
        certificate.flatMap(Certificate::pair),
        certificate.map(Certificate::workload).orElse(false),
        validation.trustedCaPem(), alpn, validation.peer(), parameters));
  }

  /** Exactly one for a server, at most one for a client: static or through SDS. */
  private Optional<Certificate> certificate(CommonTlsContext common, FieldPath path, boolean required) {
    int count = common.getTlsCertificatesCount() + common.getTlsCertificateSdsSecretConfigsCount();
    if (count > 1 || (required && count == 0)) {
      // tls_certificates and tls_certificate_sds_secret_configs together.
      translation.error(path.field("tls_certificates"), (required ? "exactly one certificate is required"
          : "at most one client certificate is supported") + ", found " + count);
      return Optional.empty();
    }
    if (common.getTlsCertificatesCount() == 1) {
      return staticCertificate(common.getTlsCertificates(0), path.field("tls_certificates").index(0))
          .map(pair -> new Certificate(Optional.of(pair), false));
    }
    if (common.getTlsCertificateSdsSecretConfigsCount() == 1) {
      return sdsCertificate(common.getTlsCertificateSdsSecretConfigs(0),
          path.field("tls_certificate_sds_secret_configs").index(0));
    }
    return Optional.empty();
  }

  private Optional<Certificate> sdsCertificate(SdsSecretConfig sds, FieldPath path) {
    if (!sdsSource(sds, path)) {
      return Optional.empty();
    }
    Optional<StaticSecrets.Declared> declared = translation.staticSecrets().get(sds.getName());
    if (declared.isPresent()) {
      if (!declared.get().secret().hasTlsCertificate()) {
        translation.error(path.field("name"), "secret " + Translation.quote(sds.getName())
            + " (" + declared.get().path() + ") has no tls_certificate");
        return Optional.empty();
      }
      return staticCertificate(declared.get().secret().getTlsCertificate(), declared.get().path().field("tls_certificate"))
          .map(pair -> new Certificate(Optional.of(pair), false));
    }
    if (sds.getName().equals(WORKLOAD_CERTIFICATE)) {
      return Optional.of(new Certificate(Optional.empty(), true));
    }
    translation.error(path.field("name"), unknownSecret(sds.getName(), WORKLOAD_CERTIFICATE));
    return Optional.empty();
  }

  private Validation validation(CommonTlsContext common, FieldPath path) {
    switch (common.getValidationContextTypeCase()) {
      case VALIDATION_CONTEXT:
        return staticValidation(common.getValidationContext(), path.field("validation_context"), false);
      case VALIDATION_CONTEXT_SDS_SECRET_CONFIG:
        return sdsValidation(common.getValidationContextSdsSecretConfig(),
            path.field("validation_context_sds_secret_config"));
      case COMBINED_VALIDATION_CONTEXT:
        FieldPath combinedPath = path.field("combined_validation_context");
        var combined = common.getCombinedValidationContext();
        if (!combined.hasValidationContextSdsSecretConfig()) {
          translation.error(combinedPath.field("validation_context_sds_secret_config"), "required");
          return Validation.NONE;
        }
        Validation defaults = staticValidation(
            combined.getDefaultValidationContext(), combinedPath.field("default_validation_context"), true);
        if (defaults.trustedCaPem().isPresent()) {
          translation.error(combinedPath.field("default_validation_context").field("trusted_ca"),
              "the roots come from validation_context_sds_secret_config; set only the SAN matchers here");
        }
        Validation secret = sdsValidation(
            combined.getValidationContextSdsSecretConfig(), combinedPath.field("validation_context_sds_secret_config"));
        List<StringMatcher> matchers = new ArrayList<>(secret.peer().uriSanMatchers());
        matchers.addAll(defaults.peer().uriSanMatchers());
        return new Validation(secret.trustedCaPem(), new PeerValidation(secret.peer().workloadBundle(), matchers));
      default:
        return Validation.NONE;
    }
  }

  private Validation sdsValidation(SdsSecretConfig sds, FieldPath path) {
    if (!sdsSource(sds, path)) {
      return Validation.NONE;
    }
    Optional<StaticSecrets.Declared> declared = translation.staticSecrets().get(sds.getName());
    if (declared.isPresent()) {
      if (!declared.get().secret().hasValidationContext()) {
        translation.error(path.field("name"), "secret " + Translation.quote(sds.getName())
            + " (" + declared.get().path() + ") has no validation_context");
        return Validation.NONE;
      }
      return staticValidation(
          declared.get().secret().getValidationContext(), declared.get().path().field("validation_context"), false);
    }
    if (sds.getName().equals(WORKLOAD_BUNDLE)) {
      return new Validation(Optional.empty(), new PeerValidation(true, List.of()));
    }
    translation.error(path.field("name"), unknownSecret(sds.getName(), WORKLOAD_BUNDLE));
    return Validation.NONE;
  }

  /** @param rootsFromSecret the roots come from a validation context SDS secret (combined) */
  private Validation staticValidation(CertificateValidationContext context, FieldPath path, boolean rootsFromSecret) {
    Optional<String> trustedCa = context.hasTrustedCa()
        ? translation.text(context.getTrustedCa(), path.field("trusted_ca"))
        : Optional.empty();
    List<StringMatcher> matchers = new ArrayList<>();
    StringMatcherTranslator strings = new StringMatcherTranslator(translation);
    for (int i = 0; i < context.getMatchTypedSubjectAltNamesCount(); i++) {
      SubjectAltNameMatcher san = context.getMatchTypedSubjectAltNames(i);
      FieldPath at = path.field("match_typed_subject_alt_names").index(i);
      if (san.getSanType() != SubjectAltNameMatcher.SanType.URI) {
        translation.error(at.field("san_type"), "only URI is supported (SPIFFE IDs), got " + san.getSanType());
      } else if (!san.hasMatcher()) {
        translation.error(at.field("matcher"), "required");
      } else {
        strings.translate(san.getMatcher(), at.field("matcher")).ifPresent(matchers::add);
      }
    }
    if (!matchers.isEmpty() && !rootsFromSecret && !context.hasTrustedCa()) {
      translation.error(path.field("match_typed_subject_alt_names"),
          "needs trusted_ca here, or the roots of a validation context SDS secret (combined_validation_context)");
    }
    return new Validation(trustedCa, new PeerValidation(false, matchers));
  }

  /** The subset check has already limited {@code sds_config} to absent or ADS. */
  private boolean sdsSource(SdsSecretConfig sds, FieldPath path) {
    if (sds.getName().isEmpty()) {
      translation.error(path.field("name"), "required");
      return false;
    }
    return true;
  }

  private static String unknownSecret(String name, String served) {
    return "unknown secret " + Translation.quote(name) + ": declare it in static_resources.secrets, or use "
        + Translation.quote(served) + " (served by the proxy's identity source)";
  }

  private TlsParameters parameters(CommonTlsContext common, FieldPath path) {
    if (!common.hasTlsParams()) {
      return TlsParameters.DEFAULT;
    }
    var params = common.getTlsParams();
    FieldPath paramsPath = path.field("tls_params");
    int min = version(params.getTlsMinimumProtocolVersion(), 2, paramsPath.field("tls_minimum_protocol_version"));
    int max = version(params.getTlsMaximumProtocolVersion(), 3, paramsPath.field("tls_maximum_protocol_version"));
    if (max < min) {
      translation.error(paramsPath.field("tls_maximum_protocol_version"), "is below tls_minimum_protocol_version");
    }
    List<String> protocols = new ArrayList<>();
    for (int minor = max; minor >= min; minor--) {
      protocols.add("TLSv1." + minor);
    }
    List<String> tls12 = new ArrayList<>();
    for (int i = 0; i < params.getCipherSuitesCount(); i++) {
      String suite = params.getCipherSuites(i);
      String iana = TLS12_SUITES.get(suite);
      if (iana == null) {
        translation.error(paramsPath.field("cipher_suites").index(i), "unsupported cipher suite "
            + Translation.quote(suite) + ": only ECDHE with AES-GCM or CHACHA20-POLY1305 (OpenSSL names, e.g."
            + " ECDHE-ECDSA-AES128-GCM-SHA256); TLS 1.3 suites are always on");
      } else {
        tls12.add(iana);
      }
    }
    return new TlsParameters(protocols,
        tls12.isEmpty() ? TlsParameters.DEFAULT.cipherSuites() : TlsParameters.tls12After13(tls12));
  }

  /** The minor version of TLS 1.x; {@code TLS_AUTO} gives {@code auto}. Below 1.2 is an error. */
  private int version(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol protocol,
      int auto, FieldPath path) {
    switch (protocol) {
      case TLS_AUTO:
        return auto;
      case TLSv1_2:
        return 2;
      case TLSv1_3:
        return 3;
      default:
        translation.error(path, protocol + " is refused: TLS 1.2 is the minimum (TLSv1_2 or TLSv1_3)");
        return 2;
    }
  }

  private Optional<CertificateKeyPair> staticCertificate(TlsCertificate certificate, FieldPath path) {
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
}
