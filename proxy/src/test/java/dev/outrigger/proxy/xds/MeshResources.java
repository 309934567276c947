package dev.outrigger.proxy.xds;

import com.google.protobuf.Any;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.bootstrap.ConfigException;
import dev.outrigger.proxy.bootstrap.LoadedBootstrap;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.List;

/** Envoy resources as a control plane sends them: a listener with RDS, its routes, an EDS cluster. */
final class MeshResources {
  static final String NODE = "sidecar-1";
  static final ConfigSource ADS = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  private MeshResources() {}

  /** A bootstrap whose ADS cluster {@code xds} is the control plane on {@code port}. */
  static LoadedBootstrap bootstrap(int port, boolean delta) throws ConfigException {
    return bootstrap(port, delta, "");
  }

  /** @param clusterFields more YAML fields of the ADS cluster, indented by four spaces */
  static LoadedBootstrap bootstrap(int port, boolean delta, String clusterFields) throws ConfigException {
    return BootstrapLoader.loadBootstrapYaml(yaml(port, delta) + clusterFields);
  }

  /** As {@link #bootstrap(int, boolean)}, with an admin server on a free loopback port. */
  static LoadedBootstrap withAdmin(int port, boolean delta) throws ConfigException {
    return BootstrapLoader.loadBootstrapYaml(
        "admin: { address: { socket_address: { address: 127.0.0.1, port_value: 0 } } }\n" + yaml(port, delta));
  }

  private static String yaml(int port, boolean delta) {
    return """
        node: { id: %s, cluster: demo, metadata: { service: greeter, namespace: default } }
        dynamic_resources:
          ads_config:
            api_type: %s
            transport_api_version: V3
            grpc_services: [{ envoy_grpc: { cluster_name: xds } }]
          lds_config: { ads: {} }
          cds_config: { ads: {} }
        static_resources:
          clusters:
          - name: xds
            type: STATIC
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: { http2_protocol_options: {} }
            load_assignment:
              cluster_name: xds
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        """.formatted(NODE, delta ? "DELTA_GRPC" : "GRPC", port);
  }

  static Listener listener(String name, String routeName) {
    return listener(name, HttpConnectionManager.newBuilder()
        .setStatPrefix(name)
        .setRds(Rds.newBuilder().setRouteConfigName(routeName).setConfigSource(ADS))
        .addHttpFilters(router())
        .build());
  }

  static Listener listener(String name, HttpConnectionManager hcm) {
    return Listener.newBuilder()
        .setName(name)
        .setAddress(address(0))
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  static HttpFilter router() {
    return HttpFilter.newBuilder()
        .setName("envoy.filters.http.router")
        .setTypedConfig(Any.pack(Router.getDefaultInstance()))
        .build();
  }

  static RouteConfiguration routes(String name, String cluster) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(VirtualHost.newBuilder()
            .setName("all")
            .addDomains("*")
            .addRoutes(Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(cluster))))
        .build();
  }

  static Cluster edsCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .build();
  }

  static ClusterLoadAssignment assignment(String cluster, int... ports) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (int port : ports) {
      locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(address(port))));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(locality).build();
  }

  /** The listener {@code ingress} routing everything to the EDS cluster {@code backend} on {@code ports}. */
  static Snapshot mesh(String version, int... ports) {
    return Snapshot.create(
        List.of(edsCluster("backend")),
        List.of(assignment("backend", ports)),
        List.of(listener("ingress", "ingress-routes")),
        List.of(routes("ingress-routes", "backend")),
        List.of(),
        version);
  }

  private static Address address(int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port))
        .build();
  }
}
