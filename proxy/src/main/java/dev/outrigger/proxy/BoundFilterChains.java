package dev.outrigger.proxy;

import dev.outrigger.proxy.accesslog.AccessLogWriters;
import dev.outrigger.proxy.authz.NetworkRbac;
import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.http.filter.FilterResources;
import dev.outrigger.proxy.metrics.ListenerMeters;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.http.HttpConnectionManager;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import dev.outrigger.proxy.tcp.TcpProxy;
import dev.outrigger.proxy.stream.StreamListener;
import io.netty.channel.Channel;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What each filter chain of one config runs, built when the config is applied: its network filter
 * (route tables compiled), its metrics and its access logs. An accepted connection finds its
 * chain's with one identity look-up.
 */
final class BoundFilterChains {
  /** One filter chain's network filter, and what its connections report to. */
  private record BoundChain(NetworkFilterInstaller filter, StreamListener streams, ListenerMeters connections) {}

  private final Map<FilterChainConfig, BoundChain> byChain;

  private BoundFilterChains(Map<FilterChainConfig, BoundChain> byChain) {
    this.byChain = byChain;
  }

  /** Compiles every route table and access log format and opens every log file: a bad one fails here. */
  static BoundFilterChains of(ProxyConfig config, ProxyMetrics metrics, AccessLogWriters accessLogs) {
    Map<FilterChainConfig, BoundChain> byChain = new IdentityHashMap<>();
    for (ListenerConfig listener : config.listeners()) {
      ListenerMeters connections = metrics.listener(listener.name());
      Stream.concat(listener.filterChains().stream(), listener.defaultFilterChain().stream())
          .forEach(
              chain -> {
                StreamListener streams =
                    metrics
                        .listenerFor(listener, chain, config.clusters().keySet())
                        .andThen(accessLogs.listenerFor(accessLogsOf(chain)));
                NetworkFilterInstaller filter = NetworkRbac.wrap(chain.rbacFilters(),
                    networkFilter(chain, metrics), metrics.registry(), chain.filter() instanceof TcpProxyConfig);
                byChain.put(chain, new BoundChain(filter, streams, connections));
              });
    }
    return new BoundFilterChains(byChain);
  }

  private static NetworkFilterInstaller networkFilter(FilterChainConfig chain, ProxyMetrics metrics) {
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

  /**
   * Counts {@code downstream} until it closes, and hands it to its chain's network filter with
   * the chain's stream listener.
   */
  void install(Channel downstream, ConnectionContext accepted) {
    BoundChain chain = byChain.get(accepted.filterChain());
    if (chain == null) {
      // The listener chose a chain of another config: a bug, not a client's doing.
      throw new IllegalStateException("filter chain " + accepted.filterChain().name() + " is not bound");
    }
    chain.connections().connectionOpened();
    downstream.closeFuture().addListener(closed -> chain.connections().connectionClosed());
    chain.filter().install(downstream, accepted.withStreamListener(chain.streams()));
  }
}
