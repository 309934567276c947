package dev.outrigger.e2e;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Bootstraps of a caller and a callee sidecar whose identities (SDS {@code default} and {@code
 * ROOTCA}) come from the proxy's identity source: every hop between them is mTLS checked by SPIFFE
 * ID. Ports are picked here so the caller's clusters can point at the callee before either runs.
 */
final class MeshSidecars {
  static final String TLS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.";
  private static final String HCM =
      "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
  private static final String ROUTER = "{name: envoy.filters.http.router, typed_config: "
      + "{'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}";
  private static final String SECRETS = "tls_certificate_sds_secret_configs: [{name: default, sds_config: {ads: {}}}]";

  private MeshSidecars() {}

  /** One sidecar's bootstrap and where it listens. */
  record Sidecar(String yaml, int admin, int http, int tcp) {
    InetSocketAddress adminAddress() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), admin);
    }
  }

  /**
   * The callee's inbound side: mTLS listeners requiring a client certificate of {@code
   * trustDomainPrefix}. HTTP ({@code inbound}): the caller's identity goes to the app in {@code
   * x-forwarded-client-cert} (SANITIZE_SET), and HTTP RBAC lets {@code caller} call anything and
   * any authenticated workload only {@code GET /whoami}. TCP ({@code inbound-tcp}): network RBAC
   * lets only {@code caller} connect. Both forward to the app on {@code appPort}.
   */
  static Sidecar callee(int appPort, String trustDomainPrefix, String caller, Path accessLog) {
    int admin = Bootstrap.freePort();
    int http = Bootstrap.freePort();
    int tcp = Bootstrap.freePort();
    String yaml = """
        admin: {address: {socket_address: {address: 127.0.0.1, port_value: %1$d}}}
        static_resources:
          listeners:
          - name: inbound
            address: {socket_address: {address: 127.0.0.1, port_value: %2$d}}
            filter_chains:
            - transport_socket: %4$s
              filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": %5$s
                  stat_prefix: inbound
                  forward_client_cert_details: SANITIZE_SET
                  set_current_client_cert_details: {uri: true}
                  access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: %6$s
                      log_format: {text_format_source: {inline_string: "%%DOWNSTREAM_PEER_URI_SAN%% %%REQ(:PATH)%% %%RESPONSE_CODE%% %%RESPONSE_CODE_DETAILS%%\\n"}}
                  route_config:
                    virtual_hosts: [{name: app, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: app}}]}]
                  http_filters:
                  - name: rbac
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                      rules:
                        action: ALLOW
                        policies:
                          caller:
                            permissions: [{any: true}]
                            principals: [{authenticated: {principal_name: {exact: "%7$s"}}}]
                          whoami:
                            permissions:
                            - and_rules:
                                rules:
                                - header: {name: ":method", string_match: {exact: GET}}
                                - url_path: {path: {exact: /whoami}}
                            principals: [{authenticated: {}}]
                  - %8$s
          - name: inbound-tcp
            address: {socket_address: {address: 127.0.0.1, port_value: %3$d}}
            filter_chains:
            - transport_socket: %9$s
              filters:
              - name: envoy.filters.network.rbac
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                  stat_prefix: inbound-tcp
                  rules:
                    policies:
                      caller:
                        permissions: [{any: true}]
                        principals: [{authenticated: {principal_name: {exact: "%7$s"}}}]
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: inbound-tcp
                  cluster: app
          clusters:
          - %10$s
        """.formatted(admin, http, tcp, downstreamTls(trustDomainPrefix, "[h2, http/1.1]"), HCM, accessLog, caller,
            ROUTER, downstreamTls(trustDomainPrefix, "[]"), cluster("app", appPort, ""));
    return new Sidecar(yaml, admin, http, tcp);
  }

  /**
   * The caller's outbound side: plaintext listeners for its app, HTTP ({@code outbound}) and TCP
   * ({@code outbound-tcp}), to the callee's inbound ones over mTLS presenting {@code default},
   * validating with {@code ROOTCA} and accepting only {@code calleeId}; HTTP/2 (ALPN h2) to the
   * callee's HTTP listener.
   */
  static Sidecar caller(Sidecar callee, String calleeId) {
    int admin = Bootstrap.freePort();
    int http = Bootstrap.freePort();
    int tcp = Bootstrap.freePort();
    String yaml = """
        admin: {address: {socket_address: {address: 127.0.0.1, port_value: %1$d}}}
        static_resources:
          listeners:
          - name: outbound
            address: {socket_address: {address: 127.0.0.1, port_value: %2$d}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": %4$s
                  stat_prefix: outbound
                  route_config:
                    virtual_hosts: [{name: callee, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: callee}}]}]
                  http_filters: [%5$s]
          - name: outbound-tcp
            address: {socket_address: {address: 127.0.0.1, port_value: %3$d}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: outbound-tcp
                  cluster: callee-tcp
          clusters:
          - %6$s
          - %7$s
        """.formatted(admin, http, tcp, HCM, ROUTER,
            cluster("callee", callee.http(), upstreamTls(calleeId, "[h2]")
                + ", typed_extension_protocol_options: {envoy.extensions.upstreams.http.v3.HttpProtocolOptions: "
                + "{'@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, "
                + "explicit_http_config: {http2_protocol_options: {}}}}"),
            cluster("callee-tcp", callee.tcp(), upstreamTls(calleeId, "[]")));
    return new Sidecar(yaml, admin, http, tcp);
  }

  private static String downstreamTls(String clientPrefix, String alpn) {
    return "{name: envoy.transport_sockets.tls, typed_config: {'@type': " + TLS + "DownstreamTlsContext, "
        + "require_client_certificate: true, common_tls_context: {alpn_protocols: " + alpn + ", " + SECRETS + ", "
        + validation("prefix", clientPrefix) + "}}}";
  }

  private static String upstreamTls(String peerId, String alpn) {
    return ", transport_socket: {name: envoy.transport_sockets.tls, typed_config: {'@type': " + TLS
        + "UpstreamTlsContext, common_tls_context: {alpn_protocols: " + alpn + ", " + SECRETS + ", "
        + validation("exact", peerId) + "}}}";
  }

  private static String validation(String match, String value) {
    return "combined_validation_context: {default_validation_context: {match_typed_subject_alt_names: "
        + "[{san_type: URI, matcher: {" + match + ": '" + value + "'}}]}, "
        + "validation_context_sds_secret_config: {name: ROOTCA, sds_config: {ads: {}}}}";
  }

  private static String cluster(String name, int port, String extra) {
    return "{name: " + name + ", type: STATIC, connect_timeout: 2s, load_assignment: {cluster_name: " + name
        + ", endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: "
        + port + "}}}}]}]}" + extra + "}";
  }
}
