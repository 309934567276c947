package dev.outrigger.proxy.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A listener: where to accept, how to inspect the first bytes, and which filter chain serves a
 * connection.
 *
 * @param inspectors listener filters, in order; they peek at the first bytes without consuming them
 * @param inspectionTimeout how long the inspectors may wait for bytes (Envoy's
 *     {@code listener_filters_timeout}, default 15 s); on expiry the chain is chosen on what is known
 * @param perConnectionBufferLimitBytes soft bound on bytes buffered per connection (default 1 MiB)
 */
public record ListenerConfig(
    String name,
    InetSocketAddress address,
    List<Inspector> inspectors,
    Duration inspectionTimeout,
    List<FilterChainConfig> filterChains,
    Optional<FilterChainConfig> defaultFilterChain,
    int perConnectionBufferLimitBytes) {

  public static final int DEFAULT_BUFFER_LIMIT_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_INSPECTION_TIMEOUT = Duration.ofSeconds(15);

  public ListenerConfig {
    inspectors = List.copyOf(inspectors);
    filterChains = List.copyOf(filterChains);
  }

  /** The supported listener filters. */
  public enum Inspector {
    /** {@code envoy.filters.listener.tls_inspector}: TLS or raw, SNI and ALPN from the ClientHello. */
    TLS,
    /** {@code envoy.filters.listener.http_inspector}: HTTP/1.x or h2c from the first bytes. */
    HTTP
  }
}
