package dev.outrigger.proxy;

import dev.outrigger.proxy.accesslog.AccessLogWriters;
import dev.outrigger.proxy.authz.NetworkRbac;
import dev.outrigger.proxy.config.AccessLogConfig;
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
 * before, with its connections, rate-limit buckets and meters; every other chain is built anew.
 */
final class BoundFilterChains {
  /** What building a chain needs from the proxy. */
  record Factory(
      ProxyMetrics metrics, AccessLogWriters accessLogs, TlsContextFactory tlsContexts, ConnectionTracker connections) {

    /** Compiles the route table and access log formats and opens log files: a bad one fails here. */
    BoundChain bind(ListenerConfig listener, FilterChainConfig chain, Collection<String> clusters) {
      StreamListener streams =
          metrics.listenerFor(listener, chain, clusters).andThen(accessLogs.listenerFor(accessLogsOf(chain)));
      NetworkFilterInstaller filter =
          NetworkRbac.wrap(chain.rbacFilters(), networkFilter(chain), metrics.registry(), chain.filter() instanceof TcpProxyConfig);
      BoundChain bound = new BoundChain(filter, streams, metrics.listener(listener.name()), connections);
      bound.prepared(PreparedChain.prepare(chain, bound, tlsContexts));
      return bound;
    }

    private NetworkFilterInstaller networkFilter(FilterChainConfig chain) {
      if (chain.filter() instanceof HttpConnectionManagerConfig hcm) {
        return new HttpConnectionManager(hcm, FilterResources.of(metrics.registry()));
      }
      return new TcpProxy((TcpProxyConfig) chain.filter());
    }

    private static List<AccessLogConfig> accessLogsOf(FilterChainConfig chain) {
      if (chain.filter() instanceof HttpConnectionManagerConfig hcm) {
        return hcm.accessLogs();
      }
      return ((TcpProxyConfig) chain.filter()).accessLogs();
    }
  }

  private final ListenerConfig listener;
  private final Map<FilterChainConfig, BoundChain> byChain;
  /** The chains built for this config, not carried over from the previous one. */
  private final List<BoundChain> built;

  private BoundFilterChains(ListenerConfig listener, Map<FilterChainConfig, BoundChain> byChain, List<BoundChain> built) {
    this.listener = listener;
    this.byChain = byChain;
    this.built = built;
  }

  /**
   * @param previous what the listener of the same name and address ran before, if anything
   * @param clusters every cluster name of the config (a {@code cluster_header} route may reach any)
   */
  static BoundFilterChains bind(
      ListenerConfig listener, Optional<BoundFilterChains> previous, Collection<String> clusters, Factory factory) {
    Map<FilterChainConfig, BoundChain> kept =
        previous.filter(p -> sameSettings(p.listener, listener)).map(p -> p.byChain).orElse(Map.of());
    Map<FilterChainConfig, BoundChain> byChain = new HashMap<>();
    List<BoundChain> built = new ArrayList<>();
    try {
      for (FilterChainConfig chain : chainsOf(listener)) {
        BoundChain bound = kept.get(chain);
        if (bound == null) {
          bound = factory.bind(listener, chain, clusters);
          built.add(bound);
        }
        byChain.put(chain, bound);
      }
    } catch (RuntimeException e) {
      built.forEach(BoundChain::release);
      throw e;
    }
    return new BoundFilterChains(listener, byChain, built);
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
