package dev.outrigger.proxy.config;

import java.util.Optional;

/**
 * A filter chain: the connections it takes ({@link FilterChainMatch}), their TLS termination, and
 * the one terminal network filter that handles them.
 */
public record FilterChainConfig(
    String name,
    FilterChainMatch match,
    Optional<DownstreamTlsConfig> tls,
    NetworkFilterConfig filter) {}
