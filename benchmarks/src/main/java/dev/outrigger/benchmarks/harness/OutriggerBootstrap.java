package dev.outrigger.benchmarks.harness;

/**
 * Envoy v3 bootstraps for the Outrigger proxies of each topology, as YAML text. Every listener has
 * codec AUTO: HTTP/1.1 and h2c (or h2 by ALPN) on one port.
 */
final class OutriggerBootstrap {
  private static final String GRPC_PREFIX = "/bench.";

  private OutriggerBootstrap() {}

  /** A proxy in front of the upstream: gRPC to its h2c port, everything else to HTTP/1.1. */
  static String edge(int adminPort, int port, Upstream upstream) {
    return inbound(adminPort, port, upstream, null);
  }

  /**
   * The inbound sidecar: as {@link #edge}; with {@code tls}, behind a listener that requires the
   * outbound sidecar's certificate.
   */
  static String inbound(int adminPort, int port, Upstream upstream, Certificates tls) {
    return bootstrap(adminPort, listener(port, tls == null ? "" : downstreamTls(tls), upstreamRoutes()),
        cluster("upstream-h1", upstream.http1Port, false, "")
            + cluster("upstream-h2", upstream.h2cPort, true, ""));
  }

  /** The outbound sidecar: everything over HTTP/2 to the inbound sidecar. */
  static String outbound(int adminPort, int port, int inboundPort, Certificates tls) {
    return bootstrap(adminPort, listener(port, "", route("/", "inbound")),
        cluster("inbound", inboundPort, true, tls == null ? "" : upstreamTls(tls)));
  }

  private static String upstreamRoutes() {
    return route(GRPC_PREFIX, "upstream-h2") + route("/", "upstream-h1");
  }

  private static String route(String prefix, String cluster) {
    return """
                      - match: { prefix: "%s" }
                        route: { cluster: %s }
        """.formatted(prefix, cluster);
  }

  private static String bootstrap(int adminPort, String listener, String clusters) {
    return """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: %d } }
        static_resources:
          listeners:
        %s  clusters:
        %s""".formatted(adminPort, listener, clusters);
  }

  private static String listener(int port, String transportSocket, String routes) {
    return """
          - name: bench
            address: { socket_address: { address: 127.0.0.1, port_value: %d } }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: bench
                  codec_type: AUTO
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
        %s          http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """.formatted(port, routes) + transportSocket.indent(6);
  }

  private static String cluster(String name, int port, boolean http2, String transportSocket) {
    String protocol = !http2 ? "" : """
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
        """;
    return """
          - name: %1$s
            type: STATIC
            connect_timeout: 1s
        %3$s%4$s    load_assignment:
              cluster_name: %1$s
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %2$d } } }
        """.formatted(name, port, protocol, transportSocket);
  }

  // mTLS between the sidecars with PEM files made by openssl. Switch point for SPIFFE identities:
  // when the identity work lands, these two contexts take their certificates from the SDS/Workload
  // API source instead of files; the topology and the load stay the same.
  private static String downstreamTls(Certificates tls) {
    return """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
            require_client_certificate: true
            common_tls_context:
              tls_certificates:
              - certificate_chain: { filename: %s }
                private_key: { filename: %s }
              validation_context: { trusted_ca: { filename: %s } }
              alpn_protocols: [h2]
        """.formatted(tls.inbound.certificate(), tls.inbound.key(), tls.caCertificate);
  }

  private static String upstreamTls(Certificates tls) {
    return """
            transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                common_tls_context:
                  tls_certificates:
                  - certificate_chain: { filename: %s }
                    private_key: { filename: %s }
                  validation_context: { trusted_ca: { filename: %s } }
        """.formatted(tls.outbound.certificate(), tls.outbound.key(), tls.caCertificate);
  }
}
