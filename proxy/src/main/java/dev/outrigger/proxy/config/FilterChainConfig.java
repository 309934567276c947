package dev.outrigger.proxy.config;

import dev.outrigger.proxy.authz.NetworkRbacConfig;
import java.util.List;
import java.util.Optional;

/**
 * A filter chain: the connections it takes ({@link FilterChainMatch}), their TLS termination, the
 * network RBAC filters that check each connection first, and the one terminal network filter that
 * handles them.
 */
public record FilterChainConfig(
    String name,
    FilterChainMatch match,
    Optional<DownstreamTlsConfig> tls,
    List<NetworkRbacConfig> rbacFilters,
    NetworkFilterConfig filter) {

  public FilterChainConfig {
    rbacFilters = List.copyOf(rbacFilters);
  }

  /** A chain without RBAC filters. */
  public FilterChainConfig(String name, FilterChainMatch match, Optional<DownstreamTlsConfig> tls, NetworkFilterConfig filter) {
    this(name, match, tls, List.of(), filter);
  }
}
