package dev.outrigger.proxy;

import dev.outrigger.proxy.accesslog.AccessLogWriters;
import dev.outrigger.proxy.authz.NetworkRbac;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.http.HttpConnectionManager;
import dev.outrigger.proxy.http.filter.FilterResources;
import dev.outrigger.proxy.identity.TlsContextFactory;
import dev.outrigger.proxy.lifecycle.ConnectionTracker;
import dev.outrigger.proxy.listener.ListenerChains;
import dev.outrigger.proxy.listener.PreparedChain;
import dev.outrigger.proxy.metrics.HttpChainMeters;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import dev.outrigger.proxy.stream.StreamListener;
import dev.outrigger.proxy.tcp.TcpProxy;
import dev.outrigger.proxy.upstream.ClusterManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The filter chains of one listener as they run. Built for each config; a chain whose config is
 * unchanged (on a listener whose own settings are unchanged) is the same {@link BoundChain} as
 * before, with its connections, rate-limit buckets and meters, and so is one whose route table
 * alone changed, with the new table swapped in (as Envoy applies RDS: open connections route
 * their next requests by it); every other chain is built anew.
 */
final class BoundFilterChains {
  /** What building a chain needs from the proxy. */
  record Factory(
      ProxyMetrics metrics, AccessLogWriters accessLogs, TlsContextFactory tlsContexts, ConnectionTracker connections) {

    /** Compiles the route table and access log formats and opens log files: a bad one fails here. */
    BoundChain bind(ListenerConfig listener, FilterChainConfig chain, Collection<String> clusters) {
      if (chain.filter() instanceof HttpConnectionManagerConfig hcm) {
        HttpChainMeters meters = metrics.httpListenerFor(listener, hcm, clusters);
        HttpConnectionManager manager = new HttpConnectionManager(hcm, FilterResources.of(metrics.registry()));
        RouteTableSwap routes = (table, all) -> {
          Runnable useMeters = meters.prepareRoutes(table, all);
          Runnable useRoutes = manager.prepareRoutes(table);
          // Meters first: a request routed by the new table finds its route's meters, published
          // to it by the table's volatile write (one volatile read per request, the table's).
          return () -> {
            useMeters.run();
            useRoutes.run();
          };
        };
        return bind(listener, chain, manager, meters.andThen(accessLogs.listenerFor(hcm.accessLogs())), routes);
      }
      TcpProxyConfig tcp = (TcpProxyConfig) chain.filter();
      StreamListener streams =
          metrics.listenerFor(listener, chain, clusters).andThen(accessLogs.listenerFor(tcp.accessLogs()));
      return bind(listener, chain, new TcpProxy(tcp), streams, RouteTableSwap.NONE);
    }

    private BoundChain bind(
        ListenerConfig listener, FilterChainConfig chain, NetworkFilterInstaller terminal, StreamListener streams,
        RouteTableSwap routes) {
      NetworkFilterInstaller filter =
          NetworkRbac.wrap(chain.rbacFilters(), terminal, metrics.registry(), chain.filter() instanceof TcpProxyConfig);
      BoundChain bound = new BoundChain(filter, streams, metrics.listener(listener.name()), connections, routes);
      bound.prepared(PreparedChain.prepare(chain, bound, tlsContexts));
      return bound;
    }
  }

  private final ListenerConfig listener;
  private final Map<FilterChainConfig, BoundChain> byChain;
  /** The chains built for this config, not carried over from the previous one. */
  private final List<BoundChain> built;
  /** The route tables compiled for carried-over chains, put in service by {@link #swapRoutes}. */
  private final List<Runnable> routeSwaps;

  private BoundFilterChains(
      ListenerConfig listener, Map<FilterChainConfig, BoundChain> byChain, List<BoundChain> built,
      List<Runnable> routeSwaps) {
    this.listener = listener;
    this.byChain = byChain;
    this.built = built;
    this.routeSwaps = routeSwaps;
  }

  /**
   * A chain of {@code previous} whose config is unchanged is carried over as it is; one whose
   * route table alone changed is carried over with the new table compiled, to be swapped in by
   * {@link #swapRoutes}; every other chain is built.
   *
   * @param previous what the listener of the same name and address ran before, if anything
   * @param clusters every cluster name of the config (a {@code cluster_header} route may reach any)
   */
  static BoundFilterChains bind(
      ListenerConfig listener, Optional<BoundFilterChains> previous, Collection<String> clusters, Factory factory) {
    Map<FilterChainConfig, BoundChain> kept =
        previous.filter(p -> sameSettings(p.listener, listener)).map(p -> p.byChain).orElse(Map.of());
    Map<FilterChainConfig, BoundChain> byChain = new HashMap<>();
    chainsOf(listener).stream().filter(kept::containsKey).forEach(chain -> byChain.put(chain, kept.get(chain)));
    Map<FilterChainConfig, BoundChain> unclaimed = new HashMap<>(kept);
    unclaimed.values().removeAll(byChain.values());
    List<BoundChain> built = new ArrayList<>();
    List<Runnable> routeSwaps = new ArrayList<>();
    try {
      for (FilterChainConfig chain : chainsOf(listener)) {
        if (byChain.containsKey(chain)) {
          continue;
        }
        Optional<FilterChainConfig> routesOnly =
            unclaimed.keySet().stream().filter(was -> RouteTables.onlyRoutesDiffer(was, chain)).findFirst();
        BoundChain bound;
        if (routesOnly.isPresent()) {
          bound = unclaimed.remove(routesOnly.get());
          routeSwaps.add(bound.prepareRoutes(RouteTables.of(chain), clusters));
        } else {
          bound = factory.bind(listener, chain, clusters);
          built.add(bound);
        }
        byChain.put(chain, bound);
      }
    } catch (RuntimeException e) {
      built.forEach(BoundChain::release);
      throw e;
    }
    return new BoundFilterChains(listener, byChain, built, routeSwaps);
  }

  /** Everything of a listener but its filter chains. */
  private static boolean sameSettings(ListenerConfig a, ListenerConfig b) {
    return withoutChains(a).equals(withoutChains(b));
  }

  private static ListenerConfig withoutChains(ListenerConfig listener) {
    return new ListenerConfig(
        listener.name(), listener.address(), listener.inspectors(), listener.inspectionTimeout(), List.of(),
        Optional.empty(), listener.perConnectionBufferLimitBytes());
  }

  private static List<FilterChainConfig> chainsOf(ListenerConfig listener) {
    List<FilterChainConfig> chains = new ArrayList<>(listener.filterChains());
    listener.defaultFilterChain().ifPresent(chains::add);
    return chains;
  }

  ListenerConfig config() {
    return listener;
  }

  /** What the listener serves new connections with: these chains, resolving {@code clusters}. */
  ListenerChains serving(ClusterManager clusters) {
    return ListenerChains.of(
        listener,
        listener.filterChains().stream().map(chain -> byChain.get(chain).prepared()).toList(),
        listener.defaultFilterChain().map(chain -> byChain.get(chain).prepared()),
        clusters);
  }

  /**
   * Puts the route tables compiled for carried-over chains in service.
   *
   * @return whether any chain took a new route table
   */
  boolean swapRoutes() {
    routeSwaps.forEach(Runnable::run);
    return !routeSwaps.isEmpty();
  }

  /** The chains of {@code previous} that this one does not carry over. */
  List<BoundChain> droppedFrom(BoundFilterChains previous) {
    return previous.byChain.values().stream().filter(chain -> !byChain.containsValue(chain)).distinct().toList();
  }

  List<BoundChain> all() {
    return byChain.values().stream().distinct().toList();
  }

  /** Releases the chains built for this config: it was not applied. */
  void abandon() {
    built.forEach(BoundChain::release);
  }
}
