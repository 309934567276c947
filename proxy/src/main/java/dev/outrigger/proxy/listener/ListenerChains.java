package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.upstream.ClusterManager;
import java.util.List;
import java.util.Optional;

/**
 * What a bound listener serves new connections with, replaced as a whole by a config update: the
 * listener's config, its prepared filter chains and the clusters its connections resolve. A
 * connection reads it once, when accepted, and keeps what it read.
 */
public final class ListenerChains {
  final ListenerConfig config;
  final FilterChainSelector selector;
  final ClusterManager clusters;

  private ListenerChains(ListenerConfig config, FilterChainSelector selector, ClusterManager clusters) {
    this.config = config;
    this.selector = selector;
    this.clusters = clusters;
  }

  /**
   * @param chains the prepared chains of {@code config.filterChains()}, in order
   * @param defaultChain the prepared {@code config.defaultFilterChain()}
   */
  public static ListenerChains of(
      ListenerConfig config, List<PreparedChain> chains, Optional<PreparedChain> defaultChain, ClusterManager clusters) {
    return new ListenerChains(config, new FilterChainSelector(List.copyOf(chains), defaultChain.orElse(null)), clusters);
  }

  public ListenerConfig config() {
    return config;
  }
}
