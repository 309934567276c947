package dev.outrigger.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code envoy.filters.network.tcp_proxy}: bytes in both directions to one cluster picked per
 * connection.
 *
 * @param idleTimeout no bytes either way for this long closes both sides (Envoy default 1 h; zero
 *     disables)
 */
public record TcpProxyConfig(
    String statPrefix,
    WeightedClusters clusters,
    Duration idleTimeout,
    List<AccessLogConfig> accessLogs)
    implements NetworkFilterConfig {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

  public TcpProxyConfig {
    accessLogs = List.copyOf(accessLogs);
  }
}
