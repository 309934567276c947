package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.listener.ListenerObserver;
import dev.outrigger.proxy.stream.StreamListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's meters (names in DESIGN.md) in one Prometheus registry. Meters are bound when the
 * config is applied: {@link #listenerFor} per filter chain, {@link #listener} per listener and
 * {@link #upstream} per cluster; the data plane then only increments what it was handed.
 */
public final class ProxyMetrics implements ListenerObserver, AutoCloseable {
  private static final String OPENMETRICS = "application/openmetrics-text";
  // The exposition writers' own content types; the registry picks its writer by them.
  private static final String OPENMETRICS_CONTENT_TYPE = OPENMETRICS + "; version=1.0.0; charset=utf-8";
  private static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, ListenerMeters> listeners = new ConcurrentHashMap<>();
  private final Map<String, UpstreamMeters> upstreams = new ConcurrentHashMap<>();

  /** A scrape: the body and the content type it is in. */
  public record Scrape(String contentType, String body) {}

  /** For meters owned elsewhere (access log drops, JVM). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The meters of a listener, for its accepted and closed connections. */
  public ListenerMeters listener(String name) {
    return listeners.computeIfAbsent(name, n -> new ListenerMeters(registry, n));
  }

  /** The meters of a cluster, for its connection attempts. */
  public UpstreamMeters upstream(String cluster) {
    return upstreams.computeIfAbsent(cluster, c -> new UpstreamMeters(registry, c));
  }

  /**
   * The stream listener that meters the requests (HTTP) or connections (TCP) of one filter chain.
   *
   * @param clusters every cluster of the config: a {@code cluster_header} route may reach any
   */
  public StreamListener listenerFor(ListenerConfig listener, FilterChainConfig chain, Collection<String> clusters) {
    if (chain.filter() instanceof HttpConnectionManagerConfig hcm) {
      return httpListenerFor(listener, hcm, clusters);
    }
    TcpProxyConfig tcp = (TcpProxyConfig) chain.filter();
    return TcpStreamMeters.of(registry, listener.name(), listener(listener.name()), tcp.clusters(), this::upstream);
  }

  /** The request meters of one HTTP filter chain, which can take a new route table in place. */
  public HttpChainMeters httpListenerFor(
      ListenerConfig listener, HttpConnectionManagerConfig hcm, Collection<String> clusters) {
    return HttpStreamMeters.of(registry, listener.name(), listener(listener.name()), hcm.routeTable(), clusters, this::upstream);
  }

  /** Prometheus text 0.0.4, or OpenMetrics 1.0 when {@code accept} asks for it. */
  @Override
  public void noFilterChainMatched(ListenerConfig listener) {
    listener(listener.name()).noFilterChainMatched();
  }

  @Override
  public void tlsHandshakeCompleted(ListenerConfig listener, boolean success) {
    listener(listener.name()).tlsHandshake(success);
  }

  public Scrape scrape(String accept) {
    String contentType =
        accept != null && accept.contains(OPENMETRICS)
            ? OPENMETRICS_CONTENT_TYPE
            : PROMETHEUS_CONTENT_TYPE;
    return new Scrape(contentType, registry.scrape(contentType));
  }

  @Override
  public void close() {
    registry.close();
  }
}
