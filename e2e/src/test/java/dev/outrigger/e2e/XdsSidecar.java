package dev.outrigger.e2e;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A sidecar configured by the control plane: its bootstrap holds only the admin server, the ADS
 * stream to the control plane's plaintext xDS port and the node metadata that declares its
 * workload (docs/control-plane.md, "Node metadata"). The listeners bind on ports the node declares,
 * picked free here so that several sidecars share the host.
 */
record XdsSidecar(String nodeId, String service, String namespace, int admin, int outbound, int inbound, int appPort,
    int xdsPort) {

  static XdsSidecar of(String service, String namespace, int appPort, int xdsPort) {
    return new XdsSidecar(service + "-1", service, namespace, Bootstrap.freePort(), Bootstrap.freePort(),
        Bootstrap.freePort(), appPort, xdsPort);
  }

  InetSocketAddress adminAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), admin);
  }

  String spiffeId(String trustDomain) {
    return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + service;
  }

  String yaml() {
    return """
        node:
          id: %1$s
          metadata:
            outrigger.service: %2$s
            outrigger.namespace: %3$s
            outrigger.service_account: %2$s
            outrigger.address: 127.0.0.1
            outrigger.inbound_ports: { http: %4$d }
            outrigger.outbound_port: %5$d
            outrigger.inbound_port: %6$d
        admin: { address: { socket_address: { address: 127.0.0.1, port_value: %7$d } } }
        dynamic_resources:
          ads_config: { api_type: GRPC, transport_api_version: V3, grpc_services: [{ envoy_grpc: { cluster_name: xds } }] }
          lds_config: { ads: {} }
          cds_config: { ads: {} }
        static_resources:
          clusters:
          - name: xds
            type: STATIC
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
            load_assignment:
              cluster_name: xds
              endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %8$d } } } }] }]
        """.formatted(nodeId, service, namespace, appPort, outbound, inbound, admin, xdsPort);
  }
}
