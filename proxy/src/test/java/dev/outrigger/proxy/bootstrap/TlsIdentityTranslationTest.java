package dev.outrigger.proxy.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.PeerValidation;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.config.TlsParameters;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SDS secrets, SAN matchers and TLS parameters of TLS contexts; each error by path and message. */
class TlsIdentityTranslationTest {
  private static final String CHAIN = "/static_resources/listeners/1/filter_chains/0/transport_socket";
  private static final String CHAIN_PATH =
      "static_resources.listeners[1].filter_chains[0].transport_socket.typed_config.common_tls_context";
  private static final String CLUSTER_TLS = BaseBootstrap.CLUSTER + "/transport_socket";
  private static final String DOWNSTREAM =
      "{name: tls, typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext, ";
  private static final String UPSTREAM =
      "{name: tls, typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext, ";
  private static final String SPIFFE_SERVER = DOWNSTREAM + "require_client_certificate: true, common_tls_context: {"
      + "tls_certificate_sds_secret_configs: [{name: default, sds_config: {ads: {}, resource_api_version: V3}}], "
      + "combined_validation_context: {default_validation_context: {match_typed_subject_alt_names: ["
      + "{san_type: URI, matcher: {prefix: 'spiffe://example.org/ns/shop/'}}, "
      + "{san_type: URI, matcher: {safe_regex: {regex: 'spiffe://example\\.org/ns/ops/sa/.+'}}}]}, "
      + "validation_context_sds_secret_config: {name: ROOTCA, sds_config: {ads: {}}}}}}}";

  @Test
  void istioStyleSdsSecretsMeanTheWorkloadIdentity() throws ConfigException {
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load()
        .set(CHAIN, SPIFFE_SERVER)
        .set(CLUSTER_TLS, UPSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: default}], "
            + "combined_validation_context: {default_validation_context: {match_typed_subject_alt_names: "
            + "[{san_type: URI, matcher: {exact: 'spiffe://example.org/ns/shop/sa/inventory'}}]}, "
            + "validation_context_sds_secret_config: {name: ROOTCA}}}}}")
        .text());

    DownstreamTlsConfig server = config.listeners().get(1).filterChains().get(0).tls().orElseThrow();
    assertThat(server.usesWorkloadCertificate()).isTrue();
    assertThat(server.requireClientCertificate()).isTrue();
    assertThat(server.trustedCaPem()).isEmpty();
    assertThat(server.peerValidation().workloadBundle()).isTrue();
    assertThat(server.peerValidation().uriSanMatchers()).hasSize(2).first()
        .isEqualTo(new StringMatcher.Prefix("spiffe://example.org/ns/shop/", false));
    assertThat(server.parameters()).isEqualTo(TlsParameters.DEFAULT);
    UpstreamTlsConfig client = config.clusters().get("backend").tls().orElseThrow();
    assertThat(client.workloadCertificate()).isTrue();
    assertThat(client.peerValidation()).isEqualTo(new PeerValidation(true,
        List.of(new StringMatcher.Exact("spiffe://example.org/ns/shop/sa/inventory", false))));
  }

  @Test
  void namesDeclaredInStaticSecretsAreThoseSecrets() throws ConfigException {
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load()
        .set("/static_resources/secrets", "[{name: server, tls_certificate: {certificate_chain: {inline_string: CERT}, "
            + "private_key: {inline_string: KEY}}}, {name: default, tls_certificate: {certificate_chain: "
            + "{inline_string: OTHER}, private_key: {inline_string: OTHERKEY}}}, "
            + "{name: roots, validation_context: {trusted_ca: {inline_string: CA}}}]")
        .set(CHAIN, DOWNSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: server}], "
            + "validation_context_sds_secret_config: {name: roots}}}}")
        .text());
    DownstreamTlsConfig server = config.listeners().get(1).filterChains().get(0).tls().orElseThrow();
    assertThat(server.certificate()).contains(new CertificateKeyPair("CERT", "KEY"));
    assertThat(server.trustedCaPem()).contains("CA");
    assertThat(server.peerValidation()).isEqualTo(PeerValidation.NONE);
  }

  @Test
  void tlsParamsNarrowVersionsAndSuites() throws ConfigException {
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load()
        .set(CHAIN, DOWNSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: default}], "
            + "tls_params: {tls_minimum_protocol_version: TLSv1_3, cipher_suites: [ECDHE-ECDSA-AES256-GCM-SHA384]}}}}")
        .text());
    TlsParameters parameters = config.listeners().get(1).filterChains().get(0).tls().orElseThrow().parameters();
    assertThat(parameters.protocols()).containsExactly("TLSv1.3");
    assertThat(parameters.cipherSuites()).endsWith("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
        .startsWith("TLS_AES_128_GCM_SHA256");
  }

  @Test
  void refusesWhatItCannotHonour() {
    assertError(DOWNSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: server-cert}]}}}",
        CHAIN_PATH + ".tls_certificate_sds_secret_configs[0].name: unknown secret \"server-cert\": declare it in "
            + "static_resources.secrets, or use \"default\" (served by the proxy's identity source)");
    assertError(DOWNSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: default, sds_config: "
            + "{path_config_source: {path: /etc/sds.yaml}}}]}}}",
        CHAIN_PATH + ".tls_certificate_sds_secret_configs[0].sds_config.path_config_source: not supported: a config source is"
            + " ads ({ads: {}}); secrets also come from static_resources.secrets or, for default and ROOTCA, from"
            + " the proxy's identity source");
    assertError(DOWNSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: default}], "
            + "tls_params: {tls_minimum_protocol_version: TLSv1_1}}}}",
        CHAIN_PATH + ".tls_params.tls_minimum_protocol_version: TLSv1_1 is refused: TLS 1.2 is the minimum (TLSv1_2 or TLSv1_3)");
    assertError(DOWNSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: default}], "
            + "tls_params: {cipher_suites: [AES128-SHA]}}}}",
        CHAIN_PATH + ".tls_params.cipher_suites[0]: unsupported cipher suite \"AES128-SHA\": only ECDHE with AES-GCM or"
            + " CHACHA20-POLY1305 (OpenSSL names, e.g. ECDHE-ECDSA-AES128-GCM-SHA256); TLS 1.3 suites are always on");
    assertError(DOWNSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: default}], "
            + "validation_context: {match_typed_subject_alt_names: [{san_type: URI, matcher: {exact: x}}]}}}}",
        CHAIN_PATH + ".validation_context.match_typed_subject_alt_names: needs trusted_ca here, or the roots of a"
            + " validation context SDS secret (combined_validation_context)");
    assertError(DOWNSTREAM + "common_tls_context: {tls_certificate_sds_secret_configs: [{name: default}], "
            + "combined_validation_context: {default_validation_context: {match_typed_subject_alt_names: "
            + "[{san_type: DNS, matcher: {exact: x}}]}, validation_context_sds_secret_config: {name: ROOTCA}}}}}",
        CHAIN_PATH + ".combined_validation_context.default_validation_context.match_typed_subject_alt_names[0]"
            + ".san_type: only URI is supported (SPIFFE IDs), got DNS");
  }

  private static void assertError(String transportSocket, String expected) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> BootstrapLoader.loadYaml(BaseBootstrap.load().set(CHAIN, transportSocket).text()));
    assertThat(e).as(expected).isNotNull();
    assertThat(e.errors()).extracting(Object::toString).contains(expected);
  }
}
