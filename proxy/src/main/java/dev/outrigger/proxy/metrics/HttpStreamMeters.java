package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.stream.StreamListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Request metrics of one HTTP filter chain. Every (route, cluster) pair the route table can
 * produce is bound at config time into read-only maps, so a finished request costs two look-ups
 * by strings whose hashes are cached, and then an array read. Names the config does not know
 * (a stale snapshot; unnamed routes) fold into {@code "-"}, which keeps label cardinality
 * bounded by the config: never a path, a host or a client address.
 */
final class HttpStreamMeters implements StreamListener {
  static final String NONE = "-";

  /** The meters of one route, by the cluster a request went to. */
  private record RouteMeters(Map<String, StatusMeters> byCluster, StatusMeters noCluster) {
    StatusMeters cluster(String name) {
      StatusMeters meters = byCluster.get(name);
      return meters != null ? meters : noCluster;
    }
  }

  private final ListenerMeters listener;
  private final Map<String, RouteMeters> routes;
  private final RouteMeters unknownRoute;

  private HttpStreamMeters(ListenerMeters listener, Map<String, RouteMeters> routes, RouteMeters unknownRoute) {
    this.listener = listener;
    this.routes = routes;
    this.unknownRoute = unknownRoute;
  }

  static HttpStreamMeters of(
      MeterRegistry registry,
      String listenerName,
      ListenerMeters listener,
      RouteTableConfig table,
      Collection<String> allClusters,
      Function<String, UpstreamMeters> upstream) {
    Map<String, Set<String>> clustersByRoute = new HashMap<>();
    for (VirtualHostConfig host : table.virtualHosts()) {
      for (RouteConfig route : host.routes()) {
        clustersByRoute.computeIfAbsent(route.name(), name -> new LinkedHashSet<>())
            .addAll(clustersOf(route.action(), allClusters));
      }
    }
    Map<String, RouteMeters> routes = new HashMap<>();
    clustersByRoute.forEach(
        (route, clusters) -> {
          String label = route.isEmpty() ? NONE : route;
          Map<String, StatusMeters> byCluster = new HashMap<>();
          for (String cluster : clusters) {
            byCluster.put(cluster, new StatusMeters(registry, listenerName, label, cluster, upstream.apply(cluster)));
          }
          routes.put(route, new RouteMeters(Map.copyOf(byCluster), new StatusMeters(registry, listenerName, label, NONE, null)));
        });
    RouteMeters unknown = new RouteMeters(Map.of(), new StatusMeters(registry, listenerName, NONE, NONE, null));
    return new HttpStreamMeters(listener, Map.copyOf(routes), unknown);
  }

  /** A forward names its clusters, or with {@code cluster_header} may reach any of them. */
  private static Collection<String> clustersOf(RouteAction action, Collection<String> allClusters) {
    if (!(action instanceof RouteAction.Forward forward)) {
      return Set.of();
    }
    if (forward.clusterHeader().isPresent()) {
      return allClusters;
    }
    return forward.clusters().entries().stream().map(WeightedClusters.Entry::cluster).toList();
  }

  @Override
  public void onStart(StreamInfo info) {
    listener.requestStarted();
  }

  @Override
  public void onComplete(StreamInfo info) {
    listener.requestEnded();
    listener.streamBytes(info);
    listener.localReply(info);
    RouteMeters route = routes.getOrDefault(info.routeName(), unknownRoute);
    route.cluster(info.upstreamCluster()).record(info);
  }
}
