package dev.outrigger.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An upstream cluster.
 *
 * @param endpoints from {@code load_assignment}; for DNS types the host names to resolve
 * @param dnsRefreshRate how often DNS types re-resolve (Envoy default 5 s)
 * @param circuitBreakers {@code circuit_breakers.thresholds} of the DEFAULT priority
 * @param healthCheck active health checking of every endpoint, when configured
 * @param outlierDetection passive health checking from request outcomes, when configured
 * @param balancing the tuning of {@code lbPolicy}, and the panic threshold
 */
public record ClusterConfig(
    String name,
    DiscoveryType type,
    Duration connectTimeout,
    LbPolicy lbPolicy,
    List<EndpointConfig> endpoints,
    UpstreamProtocol protocol,
    Optional<UpstreamTlsConfig> tls,
    Duration dnsRefreshRate,
    CircuitBreakers circuitBreakers,
    Optional<HealthCheckConfig> healthCheck,
    Optional<OutlierDetectionConfig> outlierDetection,
    LoadBalancerSettings balancing) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DNS_REFRESH_RATE = Duration.ofSeconds(5);

  public ClusterConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** This cluster with other endpoints: an EDS update tells endpoint-only changes apart by it. */
  public ClusterConfig withEndpoints(List<EndpointConfig> other) {
    return new ClusterConfig(name, type, connectTimeout, lbPolicy, other, protocol, tls, dnsRefreshRate,
        circuitBreakers, healthCheck, outlierDetection, balancing);
  }

  /** With Envoy's defaults: circuit breakers, balancer tuning; no health checking or outlier detection. */
  public ClusterConfig(
      String name,
      DiscoveryType type,
      Duration connectTimeout,
      LbPolicy lbPolicy,
      List<EndpointConfig> endpoints,
      UpstreamProtocol protocol,
      Optional<UpstreamTlsConfig> tls,
      Duration dnsRefreshRate) {
    this(name, type, connectTimeout, lbPolicy, endpoints, protocol, tls, dnsRefreshRate,
        CircuitBreakers.DEFAULTS, Optional.empty(), Optional.empty(), LoadBalancerSettings.DEFAULTS);
  }

  public enum DiscoveryType {
    STATIC,
    STRICT_DNS,
    LOGICAL_DNS
  }

  public enum LbPolicy {
    ROUND_ROBIN,
    LEAST_REQUEST,
    RANDOM,
    RING_HASH,
    MAGLEV,
    /** Linkerd's default: two choices by latency estimate times load. */
    PEAK_EWMA
  }

  /**
   * The HTTP protocol spoken upstream, from {@code HttpProtocolOptions}: explicit HTTP/1.1 (the
   * Envoy default when nothing is configured), explicit HTTP/2, or chosen by ALPN on TLS
   * ({@code auto_config}).
   */
  public enum UpstreamProtocol {
    HTTP1,
    HTTP2,
    ALPN
  }

  /**
   * One endpoint; {@code host} is an IP literal for STATIC and a DNS name otherwise.
   *
   * @param priority 0 is the highest; lower priorities take load as higher ones lose health
   */
  public record EndpointConfig(String host, int port, int weight, int priority) {
    public EndpointConfig(String host, int port, int weight) {
      this(host, port, weight, 0);
    }
  }
}
