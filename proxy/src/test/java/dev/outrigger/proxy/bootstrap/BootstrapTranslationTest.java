package dev.outrigger.proxy.bootstrap;

import static dev.outrigger.proxy.bootstrap.BaseBootstrap.CLUSTER;
import static dev.outrigger.proxy.bootstrap.BaseBootstrap.HCM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import dev.outrigger.proxy.accesslog.AccessLogFormat;
import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HeaderMutations.AppendAction;
import dev.outrigger.proxy.config.HeaderMutations.HeaderValueOption;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteMatchConfig.PathMatch;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid bootstraps become the expected records, with Envoy's defaults where fields are absent. */
class BootstrapTranslationTest {

  @Test
  void absentFieldsTakeEnvoysDefaults() throws ConfigException {
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load().text());

    assertThat(config.node()).isEqualTo(new ProxyConfig.Node("test-node", "test"));
    assertThat(config.adminAddress()).isEmpty();
    ListenerConfig http = config.listeners().get(0);
    assertThat(http.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 0));
    assertThat(http.inspectors()).isEmpty();
    assertThat(http.inspectionTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(http.perConnectionBufferLimitBytes()).isEqualTo(1024 * 1024);
    assertThat(http.defaultFilterChain()).isEmpty();
    FilterChainConfig chain = http.filterChains().get(0);
    assertThat(chain.name()).isEqualTo("filter_chain_0");
    assertThat(chain.match()).isEqualTo(FilterChainMatch.ANY);
    assertThat(chain.tls()).isEmpty();

    HttpConnectionManagerConfig hcm = (HttpConnectionManagerConfig) chain.filter();
    assertThat(hcm.codecType()).isEqualTo(HttpConnectionManagerConfig.CodecType.AUTO);
    assertThat(hcm.streamIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(hcm.requestTimeout()).isZero();
    assertThat(hcm.idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(hcm.maxRequestHeadersKb()).isEqualTo(60);
    assertThat(hcm.useRemoteAddress()).isFalse();
    assertThat(hcm.xffNumTrustedHops()).isZero();
    assertThat(hcm.generateRequestId()).isTrue();
    assertThat(hcm.accessLogs()).isEmpty();
    RouteConfig route = hcm.routeTable().virtualHosts().get(0).routes().get(0);
    assertThat(route.match()).isEqualTo(
        new RouteMatchConfig(new PathMatch.Prefix("/"), true, List.of(), List.of(), false));
    assertThat(route.action()).isEqualTo(new RouteAction.Forward(WeightedClusters.single("backend"),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
        Duration.ofSeconds(15), Optional.empty()));
    assertThat(route.headers()).isEqualTo(HeaderMutations.NONE);

    TcpProxyConfig tcp = (TcpProxyConfig) config.listeners().get(1).filterChains().get(0).filter();
    assertThat(tcp).isEqualTo(new TcpProxyConfig("tcp", WeightedClusters.single("backend"),
        Duration.ofHours(1), List.of()));

    assertThat(config.clusters().get("backend")).isEqualTo(new ClusterConfig("backend",
        ClusterConfig.DiscoveryType.STATIC, Duration.ofSeconds(5), ClusterConfig.LbPolicy.ROUND_ROBIN,
        List.of(new EndpointConfig("127.0.0.1", 8080, 1)), ClusterConfig.UpstreamProtocol.HTTP1,
        Optional.empty(), Duration.ofSeconds(5)));
  }

  @Test
  void jsonWithLowerCamelNamesReadsLikeYaml(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("envoy.yaml");
    Files.writeString(yaml, """
        static_resources:
          clusters:
          - name: backend
            connect_timeout: 0.5s
            lb_policy: RANDOM
            load_assignment:
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: "::1", port_value: 9000 } } }
                  load_balancing_weight: 3
        """);
    Path json = dir.resolve("envoy.json");
    Files.writeString(json, """
        {"staticResources": {"clusters": [{
          "name": "backend", "connectTimeout": "0.500s", "lbPolicy": "RANDOM",
          "loadAssignment": {"endpoints": [{"lbEndpoints": [{
            "endpoint": {"address": {"socketAddress": {"address": "::1", "portValue": "9000"}}},
            "loadBalancingWeight": 3}]}]}}]}}
        """);

    ProxyConfig fromYaml = BootstrapLoader.load(yaml);
    assertThat(BootstrapLoader.load(json)).isEqualTo(fromYaml);
    assertThat(fromYaml.clusters().get("backend").connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(fromYaml.clusters().get("backend").endpoints())
        .containsExactly(new EndpointConfig("::1", 9000, 3));
  }

  @Test
  void routesTranslateEveryMatchAndAction() throws ConfigException {
    String routes = """
        - name: exact-legacy-headers
          match:
            path: /Exact
            case_sensitive: false
            headers:
            - { name: X-Exact, exact_match: a }
            - { name: x-prefix, prefix_match: b }
            - { name: x-suffix, suffix_match: c }
            - { name: x-contains, contains_match: d }
            - { name: x-regex, safe_regex_match: { google_re2: {}, regex: "e+" } }
            - { name: x-present, present_match: true }
            - { name: x-any }
            - { name: x-absent, present_match: true, invert_match: true }
          route: { cluster: backend, host_rewrite_literal: example.org, idle_timeout: 3s, timeout: 0s }
        - name: string-matchers
          match:
            safe_regex: { regex: "/v(?P<version>[0-9]+)/.*" }
            grpc: {}
            headers:
            - { name: x-s, string_match: { prefix: Pre, ignore_case: true } }
            query_parameters:
            - { name: q, string_match: { exact: "1" } }
            - { name: debug, present_match: true }
          route:
            cluster_header: X-Target
            auto_host_rewrite: true
            regex_rewrite: { pattern: { regex: "^/v([0-9]+)/(.*)$" }, substitution: "/\\\\2?v=\\\\1&cost=$5" }
        - name: weighted
          match: { path_separated_prefix: /api }
          route:
            prefix_rewrite: /internal
            weighted_clusters:
              clusters:
              - { name: backend, weight: 3 }
              - name: backend
                weight: 1
                request_headers_to_add: [{ header: { key: X-Canary, value: "1" }, append_action: OVERWRITE_IF_EXISTS_OR_ADD }]
          request_headers_to_add:
          - { header: { key: x-a, value: "1" }, append: false }
          - { header: { key: x-b, value: "2" } }
          request_headers_to_remove: [X-Internal]
          response_headers_to_add: [{ header: { key: x-c, value: "3" }, append_action: ADD_IF_ABSENT }]
          response_headers_to_remove: [server]
        - match: { prefix: /go }
          redirect: { https_redirect: true, host_redirect: example.org, port_redirect: 8443,
                      path_redirect: /gone, response_code: TEMPORARY_REDIRECT, strip_query: true }
        - match: { prefix: /old }
          redirect: { scheme_redirect: HTTP, prefix_rewrite: /new }
        - match: { prefix: /teapot }
          direct_response: { status: 418, body: { inline_bytes: "dGVh" } }
        """;
    ProxyConfig config = BootstrapLoader.loadYaml(
        BaseBootstrap.load().set(HCM + "/route_config/virtual_hosts/0/routes", routes).text());
    List<RouteConfig> table = ((HttpConnectionManagerConfig) config.listeners().get(0)
        .filterChains().get(0).filter()).routeTable().virtualHosts().get(0).routes();

    RouteMatchConfig first = table.get(0).match();
    assertThat(first.path()).isEqualTo(new PathMatch.Exact("/Exact"));
    assertThat(first.caseSensitive()).isFalse();
    assertThat(first.headers()).hasSize(8);
    assertThat(first.headers().subList(0, 4)).containsExactly(
        new RouteMatchConfig.HeaderMatcher("x-exact", Optional.of(new StringMatcher.Exact("a", false)), false, false),
        new RouteMatchConfig.HeaderMatcher("x-prefix", Optional.of(new StringMatcher.Prefix("b", false)), false, false),
        new RouteMatchConfig.HeaderMatcher("x-suffix", Optional.of(new StringMatcher.Suffix("c", false)), false, false),
        new RouteMatchConfig.HeaderMatcher("x-contains", Optional.of(new StringMatcher.Contains("d", false)), false, false));
    assertThat(first.headers().get(4).match()).get().isInstanceOfSatisfying(StringMatcher.Regex.class,
        regex -> assertThat(regex.pattern().pattern()).isEqualTo("e+"));
    assertThat(first.headers().subList(5, 8)).containsExactly(
        new RouteMatchConfig.HeaderMatcher("x-present", Optional.empty(), true, false),
        new RouteMatchConfig.HeaderMatcher("x-any", Optional.empty(), true, false),
        new RouteMatchConfig.HeaderMatcher("x-absent", Optional.empty(), true, true));
    RouteAction.Forward firstAction = (RouteAction.Forward) table.get(0).action();
    assertThat(firstAction.hostRewriteLiteral()).contains("example.org");
    assertThat(firstAction.idleTimeout()).contains(Duration.ofSeconds(3));
    assertThat(firstAction.timeout()).isZero();

    RouteMatchConfig second = table.get(1).match();
    assertThat(second.path()).isInstanceOfSatisfying(PathMatch.Regex.class,
        regex -> assertThat(regex.pattern().matcher("/v2/x").replaceAll("${version}")).isEqualTo("2"));
    assertThat(second.grpc()).isTrue();
    assertThat(second.headers()).containsExactly(new RouteMatchConfig.HeaderMatcher(
        "x-s", Optional.of(new StringMatcher.Prefix("Pre", true)), false, false));
    assertThat(second.queryParameters()).containsExactly(
        new RouteMatchConfig.QueryParameterMatcher("q", Optional.of(new StringMatcher.Exact("1", false))),
        new RouteMatchConfig.QueryParameterMatcher("debug", Optional.empty()));
    RouteAction.Forward secondAction = (RouteAction.Forward) table.get(1).action();
    assertThat(secondAction.clusterHeader()).contains("x-target");
    assertThat(secondAction.clusters().entries()).isEmpty();
    assertThat(secondAction.autoHostRewrite()).isTrue();
    RouteAction.RegexRewrite rewrite = secondAction.regexRewrite().orElseThrow();
    assertThat(rewrite.pattern().pattern()).isEqualTo("^/v([0-9]+)/(.*)$");
    // Kept in Envoy's syntax; the router translates it (RewriteTest covers that).
    assertThat(rewrite.substitution()).isEqualTo("/\\2?v=\\1&cost=$5");

    RouteConfig third = table.get(2);
    assertThat(third.match().path()).isEqualTo(new PathMatch.SeparatedPrefix("/api"));
    RouteAction.Forward thirdAction = (RouteAction.Forward) third.action();
    assertThat(thirdAction.prefixRewrite()).contains("/internal");
    assertThat(thirdAction.clusters()).isEqualTo(WeightedClusters.of(List.of(
        new WeightedClusters.Entry("backend", 3, HeaderMutations.NONE),
        new WeightedClusters.Entry("backend", 1, new HeaderMutations(
            List.of(new HeaderValueOption("x-canary", "1", AppendAction.OVERWRITE_IF_EXISTS_OR_ADD)),
            List.of(), List.of(), List.of())))));
    assertThat(thirdAction.clusters().totalWeight()).isEqualTo(4);
    assertThat(third.headers()).isEqualTo(new HeaderMutations(
        List.of(new HeaderValueOption("x-a", "1", AppendAction.OVERWRITE_IF_EXISTS_OR_ADD),
            new HeaderValueOption("x-b", "2", AppendAction.APPEND_IF_EXISTS_OR_ADD)),
        List.of("x-internal"),
        List.of(new HeaderValueOption("x-c", "3", AppendAction.ADD_IF_ABSENT)),
        List.of("server")));

    assertThat(table.get(3).action()).isEqualTo(new RouteAction.Redirect(Optional.of("https"),
        Optional.of("example.org"), Optional.of(8443), Optional.of("/gone"), Optional.empty(), 307, true));
    assertThat(table.get(4).action()).isEqualTo(new RouteAction.Redirect(Optional.of("http"),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("/new"), 301, false));
    assertThat(table.get(5).action()).isEqualTo(new RouteAction.DirectResponse(418, Optional.of("tea")));
  }

  @Test
  void tlsListenersAndClustersReadCertificatesInlineAndFromFiles(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "CERT");
    Path key = Files.writeString(dir.resolve("key.pem"), "KEY");
    String chain = """
        filter_chain_match:
          destination_port: 8443
          server_names: [API.example.com, "*.example.org"]
          transport_protocol: tls
          application_protocols: [h2]
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
            require_client_certificate: true
            common_tls_context:
              alpn_protocols: [h2, http/1.1]
              tls_certificates:
              - certificate_chain: { filename: %s }
                private_key: { filename: %s }
              validation_context:
                trusted_ca: { inline_string: CA }
        filters:
        - name: envoy.filters.network.tcp_proxy
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
            stat_prefix: tls
            weighted_clusters: { clusters: [{ name: backend, weight: 2 }] }
            idle_timeout: 0s
            access_log:
            - name: envoy.access_loggers.file
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                path: /tmp/access.log
                log_format: { text_format_source: { inline_string: "%%START_TIME%% %%BYTES_SENT%%\\n" } }
        """.formatted(cert, key);
    String upstreamTls = """
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
          sni: backend.internal
          common_tls_context:
            validation_context: { trusted_ca: { filename: %s } }
        """.formatted(cert);
    String protocolOptions = """
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          auto_config: { http2_protocol_options: {} }
        """;
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load()
        .set("/static_resources/listeners/1/filter_chains/0", chain)
        .set("/static_resources/listeners/1/listener_filters", """
            - name: envoy.filters.listener.tls_inspector
              typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector }
            """)
        .set("/static_resources/listeners/1/listener_filters_timeout", "1s")
        .set("/static_resources/listeners/1/per_connection_buffer_limit_bytes", "32768")
        .set(CLUSTER + "/transport_socket", upstreamTls)
        .set(CLUSTER + "/typed_extension_protocol_options", protocolOptions)
        .text());

    ListenerConfig listener = config.listeners().get(1);
    assertThat(listener.inspectors()).containsExactly(ListenerConfig.Inspector.TLS);
    assertThat(listener.inspectionTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(listener.perConnectionBufferLimitBytes()).isEqualTo(32768);
    FilterChainConfig tlsChain = listener.filterChains().get(0);
    assertThat(tlsChain.match()).isEqualTo(new FilterChainMatch(OptionalInt.of(8443),
        List.of("api.example.com", "*.example.org"), Optional.of("tls"), List.of("h2")));
    assertThat(tlsChain.tls()).contains(new DownstreamTlsConfig(
        new CertificateKeyPair("CERT", "KEY"), Optional.of("CA"), true, List.of("h2", "http/1.1")));
    assertThat(tlsChain.filter()).isEqualTo(new TcpProxyConfig("tls",
        WeightedClusters.of(List.of(new WeightedClusters.Entry("backend", 2, HeaderMutations.NONE))),
        Duration.ZERO,
        List.of(new AccessLogConfig(Optional.of(Path.of("/tmp/access.log")),
            new AccessLogConfig.Format.Text("%START_TIME% %BYTES_SENT%\n")))));

    ClusterConfig cluster = config.clusters().get("backend");
    assertThat(cluster.protocol()).isEqualTo(ClusterConfig.UpstreamProtocol.ALPN);
    assertThat(cluster.tls()).contains(new UpstreamTlsConfig(
        Optional.of("backend.internal"), Optional.empty(), Optional.of("CERT"), List.of("h2", "http/1.1")));
  }

  @Test
  void accessLogsDefaultToEnvoysFormatAndKeepJsonKeysInOrder() throws ConfigException {
    String logs = """
        - name: envoy.access_loggers.stdout
          typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog }
        - name: envoy.access_loggers.stdout
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog
            log_format: { json_format: { z: "%PROTOCOL%", a: "%RESPONSE_CODE%", m: "x %DURATION%" } }
        """;
    ProxyConfig config = BootstrapLoader.loadYaml(BaseBootstrap.load().set(HCM + "/access_log", logs).text());
    List<AccessLogConfig> accessLogs =
        ((HttpConnectionManagerConfig) config.listeners().get(0).filterChains().get(0).filter()).accessLogs();
    assertThat(accessLogs).containsExactly(
        new AccessLogConfig(Optional.empty(), AccessLogFormat.ENVOY_DEFAULT),
        new AccessLogConfig(Optional.empty(), new AccessLogConfig.Format.Json(List.of(
            new AccessLogConfig.JsonField("z", "%PROTOCOL%"),
            new AccessLogConfig.JsonField("a", "%RESPONSE_CODE%"),
            new AccessLogConfig.JsonField("m", "x %DURATION%")))));
  }

  @Test
  void aFixedCodecMustBeOfferedByTheChainsAlpn() {
    String tls = """
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
          common_tls_context:
            alpn_protocols: [http/1.1]
            tls_certificates: [{ certificate_chain: { inline_string: C }, private_key: { inline_string: K } }]
        """;
    String text = BaseBootstrap.load()
        .set("/static_resources/listeners/0/filter_chains/0/transport_socket", tls)
        .set(HCM + "/codec_type", "HTTP2")
        .text();
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadYaml(text));
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
        "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.codec_type: "
            + "HTTP2, but the chain's TLS alpn_protocols [http/1.1] do not offer h2");
  }

  @Test
  void protosBuiltInCodeGoThroughTheSameSubsetCheck() {
    // What an xDS client will hand over: no JSON, an extension this proxy does not know.
    Bootstrap bootstrap = Bootstrap.newBuilder()
        .setStaticResources(Bootstrap.StaticResources.newBuilder()
            .addClusters(Cluster.newBuilder()
                .setName("c")
                .setTransportSocket(TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.alts")
                    .setTypedConfig(Any.pack(StringValue.of("x"))))
                .setRespectDnsTtl(true)))
        .build();
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.translate(bootstrap));
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
        "static_resources.clusters[0].transport_socket.typed_config: unsupported transport socket envoy.transport_sockets.alts",
        "static_resources.clusters[0].respect_dns_ttl: not supported");
  }
}
