package dev.outrigger.proxy;

import dev.outrigger.proxy.accesslog.AccessLogWriters;
import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.metrics.ListenerMeters;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.stream.StreamListener;
import io.netty.channel.Channel;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Metrics and access logs of one config, bound per filter chain when the config is applied: an
 * accepted connection gets its chain's stream listener and counts in its listener's meters with
 * one identity look-up.
 */
final class ConnectionTelemetry {
  /** What one filter chain's connections report to. */
  private record ChainTelemetry(StreamListener streams, ListenerMeters connections) {}

  private final Map<FilterChainConfig, ChainTelemetry> byChain;

  private ConnectionTelemetry(Map<FilterChainConfig, ChainTelemetry> byChain) {
    this.byChain = byChain;
  }

  /** Compiles every access log format and opens every file: a bad one fails here. */
  static ConnectionTelemetry of(ProxyConfig config, ProxyMetrics metrics, AccessLogWriters accessLogs) {
    Map<FilterChainConfig, ChainTelemetry> byChain = new IdentityHashMap<>();
    for (ListenerConfig listener : config.listeners()) {
      ListenerMeters connections = metrics.listener(listener.name());
      Stream.concat(listener.filterChains().stream(), listener.defaultFilterChain().stream())
          .forEach(
              chain -> {
                StreamListener streams =
                    metrics
                        .listenerFor(listener, chain, config.clusters().keySet())
                        .andThen(accessLogs.listenerFor(accessLogsOf(chain)));
                byChain.put(chain, new ChainTelemetry(streams, connections));
              });
    }
    return new ConnectionTelemetry(byChain);
  }

  private static List<AccessLogConfig> accessLogsOf(FilterChainConfig chain) {
    if (chain.filter() instanceof HttpConnectionManagerConfig hcm) {
      return hcm.accessLogs();
    }
    return ((TcpProxyConfig) chain.filter()).accessLogs();
  }

  /** Counts {@code downstream} until it closes and gives its context the chain's stream listener. */
  ConnectionContext attach(Channel downstream, ConnectionContext accepted) {
    ChainTelemetry telemetry = byChain.get(accepted.filterChain());
    if (telemetry == null) {
      // Accepted on a chain of an older config: nothing is bound for it any more.
      return accepted;
    }
    telemetry.connections().connectionOpened();
    downstream.closeFuture().addListener(closed -> telemetry.connections().connectionClosed());
    return accepted.withStreamListener(telemetry.streams());
  }
}
