package dev.outrigger.proxy.bootstrap;

import static dev.outrigger.proxy.bootstrap.BaseBootstrap.CLUSTER;
import static dev.outrigger.proxy.bootstrap.BaseBootstrap.HCM;
import static dev.outrigger.proxy.bootstrap.BaseBootstrap.ROUTE;
import static dev.outrigger.proxy.bootstrap.BaseBootstrap.TCP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each class of error, by its exact message and path: one edit of base.yaml per case. */
class BootstrapErrorsTest {
  private static final String HCM_PATH = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config";
  private static final String ROUTE_PATH = HCM_PATH + ".route_config.virtual_hosts[0].routes[0]";
  private static final String TCP_PATH = "static_resources.listeners[1].filter_chains[0].filters[0].typed_config";
  private static final String CLUSTER_PATH = "static_resources.clusters[0]";
  private static final String ENDPOINT_PATH =
      CLUSTER_PATH + ".load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address";
  private static final String LUA = "{name: envoy.filters.http.lua, typed_config: "
      + "{'@type': type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua, default_source_code: {inline_string: x}}}";
  private static final String ROUTER = "{name: envoy.filters.http.router, typed_config: "
      + "{'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}";

  record Case(String name, UnaryOperator<BaseBootstrap> edit, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        // shape: the document against the protos
        new Case("unknown field", b -> b.set(CLUSTER + "/lb_polcy", "RANDOM"),
            CLUSTER_PATH + ".lb_polcy: unknown field"),
        new Case("unknown field inside a typed config", b -> b.set(HCM + "/stat_prefx", "x"),
            HCM_PATH + ".stat_prefx: unknown field"),
        new Case("string where an integer belongs",
            b -> b.set(CLUSTER + "/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address/port_value", "abc"),
            ENDPOINT_PATH + ".port_value: expected an integer, got \"abc\""),
        new Case("integer out of its proto range",
            b -> b.set(CLUSTER + "/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address/port_value", "-1"),
            ENDPOINT_PATH + ".port_value: value -1 out of range [0, 4294967295]"),
        new Case("scalar where a list belongs", b -> b.set(HCM + "/route_config/virtual_hosts/0/domains", "example.com"),
            HCM_PATH + ".route_config.virtual_hosts[0].domains: expected a list, got \"example.com\""),
        new Case("duration not in seconds", b -> b.set(CLUSTER + "/connect_timeout", "5m"),
            CLUSTER_PATH + ".connect_timeout: expected a duration in seconds like \"5s\" or \"0.250s\", got \"5m\""),
        new Case("unknown enum value", b -> b.set(ROUTE + "/redirect", "{response_code: MULTIPLE_CHOICES}").remove(ROUTE + "/route"),
            ROUTE_PATH + ".redirect.response_code: invalid value \"MULTIPLE_CHOICES\" (expected one of "
                + "MOVED_PERMANENTLY, FOUND, SEE_OTHER, TEMPORARY_REDIRECT, PERMANENT_REDIRECT)"),
        new Case("field set in both spellings", b -> b.set(CLUSTER + "/lbPolicy", "RANDOM").set(CLUSTER + "/lb_policy", "RANDOM"),
            CLUSTER_PATH + ".lb_policy: set twice (as lbPolicy and lb_policy)"),
        new Case("two members of a oneof", b -> b.set(ROUTE + "/match/path", "/x"),
            ROUTE_PATH + ".match.path: only one of prefix, path, safe_regex, connect_matcher, "
                + "path_separated_prefix, path_match_policy may be set; prefix is set already"),
        new Case("typed config without @type", b -> b.set(HCM + "/http_filters/0/typed_config", "{}"),
            HCM_PATH + ".http_filters[0].typed_config: @type is required (the type URL of the config)"),
        // subset: valid Envoy, but not implemented here
        new Case("unsupported bootstrap field", b -> b.set("/overload_manager", "{}"),
            "overload_manager: not supported"),
        new Case("unsupported field", b -> b.set(CLUSTER + "/cleanup_interval", "5s"),
            CLUSTER_PATH + ".cleanup_interval: not supported"),
        new Case("unsupported enum value", b -> b.set(CLUSTER + "/lb_policy", "CLUSTER_PROVIDED"),
            CLUSTER_PATH + ".lb_policy: CLUSTER_PROVIDED is not supported "
                + "(supported: LEAST_REQUEST, MAGLEV, RANDOM, RING_HASH, ROUND_ROBIN)"),
        new Case("unsupported codec", b -> b.set(HCM + "/codec_type", "HTTP3"),
            HCM_PATH + ".codec_type: HTTP3 is not supported (supported: AUTO, HTTP1, HTTP2)"),
        new Case("unsupported network filter of an unknown type",
            b -> b.set("/static_resources/listeners/0/filter_chains/0/filters/0", LUA),
            HCM_PATH + ": unsupported filter envoy.filters.http.lua"),
        new Case("HTTP filter in the network filter slot",
            b -> b.set("/static_resources/listeners/0/filter_chains/0/filters/0", ROUTER),
            HCM_PATH + ": unsupported filter envoy.filters.http.router (Router does not belong here)"),
        new Case("unsupported HTTP filter", b -> b.set(HCM + "/http_filters/0", LUA).set(HCM + "/http_filters/1", ROUTER),
            HCM_PATH + ".http_filters[0].typed_config: unsupported HTTP filter envoy.filters.http.lua"),
        // meaning
        new Case("unknown route cluster", b -> b.set(ROUTE + "/route/cluster", "nope"),
            ROUTE_PATH + ".route.cluster: unknown cluster \"nope\""),
        new Case("unknown weighted cluster",
            b -> b.set(ROUTE + "/route", "{weighted_clusters: {clusters: [{name: backend, weight: 1}, {name: gone, weight: 1}]}}"),
            ROUTE_PATH + ".route.weighted_clusters.clusters[1].name: unknown cluster \"gone\""),
        new Case("zero weight", b -> b.set(ROUTE + "/route", "{weighted_clusters: {clusters: [{name: backend, weight: 0}]}}"),
            ROUTE_PATH + ".route.weighted_clusters.clusters[0].weight: must be at least 1"),
        new Case("unknown TCP cluster", b -> b.set(TCP + "/cluster", "nope"),
            TCP_PATH + ".cluster: unknown cluster \"nope\""),
        new Case("duplicate cluster name",
            b -> b.set("/static_resources/clusters/1", "{name: backend, type: STATIC}"),
            "static_resources.clusters[1].name: duplicate cluster name \"backend\" (also static_resources.clusters[0])"),
        new Case("duplicate listener name", b -> b.set("/static_resources/listeners/1/name", "http"),
            "static_resources.listeners[1].name: duplicate listener name \"http\" (also static_resources.listeners[0])"),
        new Case("listener port out of range",
            b -> b.set("/static_resources/listeners/0/address/socket_address/port_value", "70000"),
            "static_resources.listeners[0].address.socket_address.port_value: port 70000 out of range 0-65535"),
        new Case("listener on a host name",
            b -> b.set("/static_resources/listeners/0/address/socket_address/address", "localhost"),
            "static_resources.listeners[0].address.socket_address.address: \"localhost\" is not an IP address"),
        new Case("STATIC endpoint with a host name",
            b -> b.set(CLUSTER + "/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address/address", "backend.local"),
            ENDPOINT_PATH + ".address: \"backend.local\" is not an IP address"),
        new Case("endpoint port 0",
            b -> b.set(CLUSTER + "/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address/port_value", "0"),
            ENDPOINT_PATH + ".port_value: port 0 out of range 1-65535"),
        new Case("regex that does not compile", b -> b.set(ROUTE + "/match", "{safe_regex: {regex: '/(a'}}"),
            ROUTE_PATH + ".match.safe_regex.regex: invalid regex \"/(a\": Unclosed group near index 3"),
        new Case("negative duration", b -> b.set(ROUTE + "/route/timeout", "-1s"),
            ROUTE_PATH + ".route.timeout: must not be negative"),
        new Case("zero connect timeout", b -> b.set(CLUSTER + "/connect_timeout", "0s"),
            CLUSTER_PATH + ".connect_timeout: must be greater than zero"),
        new Case("direct response status", b -> b.set(ROUTE + "/direct_response", "{status: 100}").remove(ROUTE + "/route"),
            ROUTE_PATH + ".direct_response.status: must be between 200 and 599, got 100"),
        new Case("route without an action", b -> b.remove(ROUTE + "/route"),
            ROUTE_PATH + ": one of route, direct_response, redirect is required"),
        new Case("router not last", b -> b.set(HCM + "/http_filters/1", ROUTER),
            HCM_PATH + ".http_filters[0]: envoy.filters.http.router must be the last filter"),
        new Case("no HTTP filters", b -> b.set(HCM + "/http_filters", "[]"),
            HCM_PATH + ".http_filters: required: the last filter must be envoy.filters.http.router"),
        new Case("missing stat_prefix", b -> b.remove(TCP + "/stat_prefix"), TCP_PATH + ".stat_prefix: required"),
        new Case("max_request_headers_kb too large", b -> b.set(HCM + "/max_request_headers_kb", "9000"),
            HCM_PATH + ".max_request_headers_kb: must be between 1 and 8192"),
        new Case("duplicate domain", b -> b.set(HCM + "/route_config/virtual_hosts/1", "{name: other, domains: ['*'], routes: []}"),
            HCM_PATH + ".route_config.virtual_hosts[1].domains[0]: domain \"*\" is already used at "
                + HCM_PATH + ".route_config.virtual_hosts[0].domains[0]"),
        new Case("wildcard in the middle of a domain", b -> b.set(HCM + "/route_config/virtual_hosts/0/domains/0", "a.*.com"),
            HCM_PATH + ".route_config.virtual_hosts[0].domains[0]: invalid domain \"a.*.com\" "
                + "(a wildcard may only stand at the start or the end)"),
        new Case("pseudo-header removed", b -> b.set(ROUTE + "/request_headers_to_remove", "[':path']"),
            ROUTE_PATH + ".request_headers_to_remove[0]: pseudo-header :path cannot be modified"),
        new Case("ignore_case on a regex",
            b -> b.set(ROUTE + "/match/headers", "[{name: x, string_match: {safe_regex: {regex: a}, ignore_case: true}}]"),
            ROUTE_PATH + ".match.headers[0].string_match.ignore_case: has no effect on safe_regex; use (?i) in the regex"),
        new Case("LOGICAL_DNS with two endpoints", b -> b.set(CLUSTER + "/type", "LOGICAL_DNS")
                .set(CLUSTER + "/load_assignment/endpoints/0/lb_endpoints/1",
                    "{endpoint: {address: {socket_address: {address: b.local, port_value: 80}}}}"),
            CLUSTER_PATH + ".load_assignment.endpoints: LOGICAL_DNS needs exactly one endpoint, found 2"),
        new Case("ALPN protocol selection without TLS", b -> b.set(CLUSTER + "/typed_extension_protocol_options",
                "{envoy.extensions.upstreams.http.v3.HttpProtocolOptions: {'@type': "
                    + "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, auto_config: {}}}"),
            CLUSTER_PATH + ".typed_extension_protocol_options[envoy.extensions.upstreams.http.v3.HttpProtocolOptions]"
                + ".auto_config: needs a TLS transport_socket to negotiate the protocol by ALPN"),
        new Case("certificate file missing", b -> b.set("/static_resources/listeners/0/filter_chains/0/transport_socket",
                "{name: envoy.transport_sockets.tls, typed_config: {'@type': "
                    + "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext, "
                    + "common_tls_context: {tls_certificates: [{certificate_chain: {filename: /nonexistent/cert.pem}, "
                    + "private_key: {inline_string: key}}]}}}"),
            "static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.common_tls_context"
                + ".tls_certificates[0].certificate_chain.filename: cannot read /nonexistent/cert.pem: no such file"),
        new Case("network filter without typed_config",
            b -> b.set("/static_resources/listeners/0/filter_chains/0/filters/0", "{name: envoy.filters.network.http_connection_manager}"),
            HCM_PATH + ": required"),
        new Case("two network filters", b -> b.set("/static_resources/listeners/1/filter_chains/0/filters/1",
                "{name: t, typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: backend}}"),
            "static_resources.listeners[1].filter_chains[0].filters[0]: only envoy.filters.network.rbac may come "
                + "before the terminal filter (http_connection_manager or tcp_proxy), which must be last"),
        new Case("invalid server name", b -> b.set("/static_resources/listeners/1/filter_chains/0/filter_chain_match",
                "{server_names: [a.*.com]}"),
            "static_resources.listeners[1].filter_chains[0].filter_chain_match.server_names[0]: "
                + "invalid server name \"a.*.com\" (expected a name or *.suffix)"),
        new Case("unknown transport protocol", b -> b.set("/static_resources/listeners/1/filter_chains/0/filter_chain_match",
                "{transport_protocol: quic}"),
            "static_resources.listeners[1].filter_chains[0].filter_chain_match.transport_protocol: "
                + "must be tls or raw_buffer, got \"quic\""),
        new Case("two chains with the same match", b -> b.set("/static_resources/listeners/1/filter_chains/1",
                "{filters: [{name: t, typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: backend}}]}"),
            "static_resources.listeners[1].filter_chains[1].filter_chain_match: same match as "
                + "static_resources.listeners[1].filter_chains[0], so this chain could never be chosen"),
        new Case("listener filter twice", b -> b.set("/static_resources/listeners/1/listener_filters",
                "[{name: tls, typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector}},"
                    + " {name: tls, typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector}}]"),
            "static_resources.listeners[1].listener_filters[1]: listener filter tls is listed twice"),
        new Case("two listeners on one address", b -> b
                .set("/static_resources/listeners/0/address/socket_address/port_value", "18080")
                .set("/static_resources/listeners/1/address/socket_address/port_value", "18080"),
            "static_resources.listeners[1].address: address 127.0.0.1:18080 clashes with listener \"http\" on 127.0.0.1:18080"),
        new Case("a wildcard listener over a specific one", b -> b
                .set("/static_resources/listeners/0/address/socket_address", "{address: '::', port_value: 18080}")
                .set("/static_resources/listeners/1/address/socket_address/port_value", "18080"),
            "static_resources.listeners[1].address: address 127.0.0.1:18080 clashes with listener \"http\" on [::]:18080"),
        new Case("admin on a listener's port", b -> b
                .set("/static_resources/listeners/0/address/socket_address/port_value", "15000")
                .set("/admin", "{address: {socket_address: {address: 0.0.0.0, port_value: 15000}}}"),
            "admin.address: address 0.0.0.0:15000 clashes with listener \"http\" on 127.0.0.1:15000"),
        new Case("server TLS without a certificate", b -> b.set("/static_resources/listeners/1/filter_chains/0/transport_socket",
                "{name: tls, typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext}}"),
            "static_resources.listeners[1].filter_chains[0].transport_socket.typed_config.common_tls_context"
                + ".tls_certificates: exactly one certificate is required, found 0"),
        new Case("client certificates without a CA", b -> b.set("/static_resources/listeners/1/filter_chains/0/transport_socket",
                "{name: tls, typed_config: {'@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext,"
                    + " require_client_certificate: true, common_tls_context: {tls_certificates: "
                    + "[{certificate_chain: {inline_string: c}, private_key: {inline_string: k}}]}}}"),
            "static_resources.listeners[1].filter_chains[0].transport_socket.typed_config.require_client_certificate: "
                + "needs common_tls_context.validation_context.trusted_ca or a validation context SDS secret"
                + " to verify client certificates"),
        new Case("upstream TLS context on a listener", b -> b.set("/static_resources/listeners/1/filter_chains/0/transport_socket",
                "{name: envoy.transport_sockets.tls, typed_config: {'@type': "
                    + "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext}}"),
            "static_resources.listeners[1].filter_chains[0].transport_socket.typed_config: "
                + "unsupported transport socket envoy.transport_sockets.tls (UpstreamTlsContext does not belong here)"),
        new Case("unknown access logger", b -> b.set(TCP + "/access_log",
                "[{name: envoy.access_loggers.open_telemetry, typed_config: {'@type': "
                    + "type.googleapis.com/envoy.extensions.access_loggers.open_telemetry.v3.OpenTelemetryAccessLogConfig}}]"),
            TCP_PATH + ".access_log[0].typed_config: unsupported access logger envoy.access_loggers.open_telemetry"),
        new Case("nested JSON log format", b -> b.set(TCP + "/access_log",
                "[{name: s, typed_config: {'@type': type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog,"
                    + " log_format: {json_format: {a: {b: '%PROTOCOL%'}}}}}]"),
            TCP_PATH + ".access_log[0].typed_config.log_format.json_format.a: only string values (templates) are supported"),
        new Case("log format from a file", b -> b.set(TCP + "/access_log",
                "[{name: s, typed_config: {'@type': type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog,"
                    + " log_format: {text_format_source: {filename: /etc/format}}}}]"),
            TCP_PATH + ".access_log[0].typed_config.log_format.text_format_source: only inline_string is supported"),
        new Case("prefix and regex rewrite together", b -> b.set(ROUTE + "/route/prefix_rewrite", "/x")
                .set(ROUTE + "/route/regex_rewrite", "{pattern: {regex: a}, substitution: b}"),
            ROUTE_PATH + ".route.regex_rewrite: cannot be combined with prefix_rewrite"),
        new Case("protocol options under another key", b -> b.set(CLUSTER + "/typed_extension_protocol_options",
                "{http: {'@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, "
                    + "explicit_http_config: {http2_protocol_options: {}}}}"),
            CLUSTER_PATH + ".typed_extension_protocol_options[http]: the key must be "
                + "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"),
        new Case("no filter chain", b -> b.remove("/static_resources/listeners/1/filter_chains"),
            "static_resources.listeners[1].filter_chains: required: at least one filter chain or a default_filter_chain"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsTheErrorWithItsPath(Case c) {
    ConfigException e = rejected(c.edit().apply(BaseBootstrap.load()).text());
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(c.expected());
  }

  @Test
  void theBaseIsValid() throws ConfigException {
    assertThat(BootstrapLoader.loadYaml(BaseBootstrap.load().text()).listeners()).hasSize(2);
  }

  @Test
  void reportsEveryProblemOfEveryStageAndNoEchoes() {
    String text = BaseBootstrap.load()
        .set(CLUSTER + "/lb_polcy", "RANDOM")                   // shape
        .set(HCM + "/codec_type", "HTTP3")                      // subset
        .set(ROUTE + "/route/cluster", "nope")                  // meaning
        .set(TCP + "/idle_timeout", "-5s")                      // meaning
        .set(CLUSTER + "/connect_timeout", "soon")              // shape; pruned, so no later echo
        .text();
    assertThat(rejected(text).errors()).extracting(ConfigError::toString).containsExactly(
        CLUSTER_PATH + ".lb_polcy: unknown field",
        CLUSTER_PATH + ".connect_timeout: expected a duration in seconds like \"5s\" or \"0.250s\", got \"soon\"",
        HCM_PATH + ".codec_type: HTTP3 is not supported (supported: AUTO, HTTP1, HTTP2)",
        TCP_PATH + ".idle_timeout: must not be negative",
        ROUTE_PATH + ".route.cluster: unknown cluster \"nope\"");
  }

  @Test
  void aBrokenClusterIsNotAlsoAnUnknownOne() {
    String text = BaseBootstrap.load().set(CLUSTER + "/connect_timeout", "0s").text();
    assertThat(rejected(text).errors()).extracting(ConfigError::toString).containsExactly(
        CLUSTER_PATH + ".connect_timeout: must be greater than zero");
  }

  @Test
  void anUnsupportedFilterIsReportedOnceNotAgainAsMissing() {
    String text = BaseBootstrap.load()
        .set("/static_resources/listeners/1/filter_chains/0/filters/0", LUA)
        .text();
    assertThat(rejected(text).errors()).extracting(ConfigError::toString).containsExactly(
        TCP_PATH + ": unsupported filter envoy.filters.http.lua");
  }

  @Test
  void documentLevelProblemsHaveNoPath() {
    assertThat(rejected("static_resources:\n  clusters:\n  - name: a\n   bad: [\n").errors())
        .extracting(ConfigError::toString).containsExactly("syntax error at line 4, column 4: "
            + "expected <block end>, but found '<block mapping start>' (while parsing a block mapping)");
    assertThat(rejected("node: {id: a, id: b}").errors()).extracting(ConfigError::toString)
        .containsExactly("syntax error at line 1, column 17: Duplicate field 'id'");
    assertThat(rejected("node: &n {id: a}\nstatic_resources: {clusters: [{name: *n}]}").errors())
        .extracting(ConfigError::toString)
        .containsExactly("YAML alias *n at line 2 is not supported; write the value out");
    assertThat(rejected("").errors()).extracting(ConfigError::toString).containsExactly("the bootstrap is empty");
    assertThat(rejected("- a\n- b").errors()).extracting(ConfigError::toString)
        .containsExactly("expected an object, got a list");
  }

  @Test
  void fileTypeComesFromTheExtension(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("envoy.txt"), BaseBootstrap.load().text());
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.load(file));
    assertThat(e.errors()).extracting(ConfigError::toString)
        .containsExactly(file + ": unknown file type (expected .yaml, .yml or .json)");
  }

  private static ConfigException rejected(String text) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> BootstrapLoader.loadYaml(text));
    assertThat(e).as("rejected").isNotNull();
    return e;
  }
}
