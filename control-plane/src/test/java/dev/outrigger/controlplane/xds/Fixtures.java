package dev.outrigger.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
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
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;

/** Small, valid Envoy resources for the tests. */
final class Fixtures {
  private static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  private Fixtures() {}

  /** An EDS cluster fed over ADS; {@code timeoutSeconds} varies its content. */
  static Cluster cluster(String name, int timeoutSeconds) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeoutSeconds))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
        .build();
  }

  static Cluster cluster(String name) {
    return cluster(name, 1);
  }

  static ClusterLoadAssignment endpoints(String cluster, int... ports) {
    // gRPC's xDS client skips localities without a weight.
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
        .setLoadBalancingWeight(UInt32Value.of(1));
    for (int port : ports) {
      locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(
          Address.newBuilder().setSocketAddress(
              SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port)))));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(locality).build();
  }

  static RouteConfiguration route(String name, String domain, String cluster) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(VirtualHost.newBuilder().setName(domain).addDomains(domain)
            .addRoutes(Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix(""))
                .setRoute(RouteAction.newBuilder().setCluster(cluster))))
        .build();
  }

  /** A gRPC-style API listener whose routes come from RDS {@code routeName}. */
  static Listener listener(String name, String routeName) {
    HttpConnectionManager manager = HttpConnectionManager.newBuilder()
        .setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName(routeName))
        .addHttpFilters(router())
        .build();
    return Listener.newBuilder()
        .setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(manager)))
        .build();
  }

  static HttpFilter router() {
    return HttpFilter.newBuilder().setName("envoy.filters.http.router")
        .setTypedConfig(Any.pack(Router.getDefaultInstance())).build();
  }

  static Secret secret(String name) {
    return Secret.newBuilder().setName(name).build();
  }

  static Resources resources(Message... messages) {
    return Resources.of(List.of(messages));
  }
}
