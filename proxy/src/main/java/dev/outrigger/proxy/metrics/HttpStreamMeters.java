package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.stream.StreamInfo;
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
final class HttpStreamMeters implements HttpChainMeters {
  static final String NONE = "-";

  /** The meters of one route, by the cluster a request went to. */
  private record RouteMeters(Map<String, StatusMeters> byCluster, StatusMeters noCluster) {
    StatusMeters cluster(String name) {
      StatusMeters meters = byCluster.get(name);
      return meters != null ? meters : noCluster;
    }
  }

  private final MeterRegistry registry;
  private final String listenerName;
  private final ListenerMeters listener;
  private final Function<String, UpstreamMeters> upstream;
  private final RouteMeters unknownRoute;
  /**
   * Swapped whole with the route table, and written just before it (see {@link HttpChainMeters#prepareRoutes}):
   * a request read that table through its volatile reference, so it sees these meters or newer ones
   * without a volatile read of its own. An immutable map: a racy read sees it whole.
   */
  private Map<String, RouteMeters> routes;

  private HttpStreamMeters(
      MeterRegistry registry, String listenerName, ListenerMeters listener, Function<String, UpstreamMeters> upstream) {
    this.registry = registry;
    this.listenerName = listenerName;
    this.listener = listener;
    this.upstream = upstream;
    this.unknownRoute = new RouteMeters(Map.of(), new StatusMeters(registry, listenerName, NONE, NONE, null));
  }

  static HttpStreamMeters of(
      MeterRegistry registry,
      String listenerName,
      ListenerMeters listener,
      RouteTableConfig table,
      Collection<String> allClusters,
      Function<String, UpstreamMeters> upstream) {
    HttpStreamMeters meters = new HttpStreamMeters(registry, listenerName, listener, upstream);
    meters.prepareRoutes(table, allClusters).run();
    return meters;
  }

  @Override
  public Runnable prepareRoutes(RouteTableConfig table, Collection<String> allClusters) {
    Map<String, RouteMeters> bound = bind(table, allClusters);
    return () -> routes = bound;
  }

  private Map<String, RouteMeters> bind(RouteTableConfig table, Collection<String> allClusters) {
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
    return Map.copyOf(routes);
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
