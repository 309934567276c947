package dev.outrigger.proxy.bootstrap;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Map;

/** The resources an ADS stream has delivered, each type by resource name. */
public record XdsResources(
    Map<String, Listener> listeners,
    Map<String, RouteConfiguration> routes,
    Map<String, Cluster> clusters,
    Map<String, ClusterLoadAssignment> assignments) {

  public static final XdsResources EMPTY = new XdsResources(Map.of(), Map.of(), Map.of(), Map.of());

  public XdsResources {
    listeners = Map.copyOf(listeners);
    routes = Map.copyOf(routes);
    clusters = Map.copyOf(clusters);
    assignments = Map.copyOf(assignments);
  }
}
