package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.identity.TlsContextFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Ticker;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;

/**
 * The clusters of one config snapshot: endpoints kept current by discovery (static or DNS), a
 * balancer per cluster, and the upstream {@code SslContext} built once per cluster. Closing it stops
 * DNS refreshes and releases the TLS contexts; connections already made are not touched.
 */
public final class UpstreamClusterManager implements ClusterManager, AutoCloseable {
  /** Shared by every snapshot: JVM name lookups block, so they get their own daemon thread. */
  private static final Executor BLOCKING_LOOKUPS =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "outrigger-dns");
            thread.setDaemon(true);
            return thread;
          });

  private final Map<String, ManagedCluster> clusters;
  private final List<EndpointDiscovery> discoveries;
  private final CompletableFuture<Void> ready;

  private UpstreamClusterManager(
      Map<String, ManagedCluster> clusters, List<EndpointDiscovery> discoveries) {
    this.clusters = Map.copyOf(clusters);
    this.discoveries = discoveries;
    this.ready =
        CompletableFuture.allOf(
                discoveries.stream().map(EndpointDiscovery::firstResolution).toArray(CompletableFuture[]::new))
            .thenCompose(resolved -> CompletableFuture.allOf(
                clusters.values().stream().map(ManagedCluster::firstChecks).toArray(CompletableFuture[]::new)));
  }

  /**
   * Clusters resolved with the JVM's resolver, refreshed on {@code loops}, balanced with
   * thread-local randomness; each cluster's health checks run on one loop of {@code loops}.
   */
  public static UpstreamClusterManager start(
      Map<String, ClusterConfig> configs,
      Transport transport,
      EventLoopGroup loops,
      Function<String, ? extends UpstreamConnectionEvents> events) {
    return start(configs, transport, loops, events, TlsContextFactory.withoutIdentity());
  }

  /** As above, with TLS contexts that may present the workload identity. */
  public static UpstreamClusterManager start(
      Map<String, ClusterConfig> configs,
      Transport transport,
      EventLoopGroup loops,
      Function<String, ? extends UpstreamConnectionEvents> events,
      TlsContextFactory tlsContexts) {
    return start(
        configs, transport, loops, HostResolver.jvm(BLOCKING_LOOKUPS), ThreadLocalRandom::current,
        Ticker.systemTicker(), events, tlsContexts);
  }

  /**
   * @param random the randomness of RANDOM, LEAST_REQUEST and PEAK_EWMA picks and of the priority
   *     choice; called on every pick, so it must be cheap and safe on any thread ({@code
   *     ThreadLocalRandom::current} is)
   * @param events each cluster's connection events, bound once per cluster here
   * @throws UncheckedIOException when a cluster's TLS material cannot be loaded
   */
  public static UpstreamClusterManager start(
      Map<String, ClusterConfig> configs,
      Transport transport,
      EventLoopGroup loops,
      HostResolver resolver,
      Supplier<RandomGenerator> random,
      Function<String, ? extends UpstreamConnectionEvents> events) {
    return start(configs, transport, loops, resolver, random, Ticker.systemTicker(), events);
  }

  /**
   * @param ticker the clock PEAK_EWMA decays latency estimates by; the one the HTTP exchanges record
   *     response times with
   */
  public static UpstreamClusterManager start(
      Map<String, ClusterConfig> configs,
      Transport transport,
      EventLoopGroup loops,
      HostResolver resolver,
      Supplier<RandomGenerator> random,
      Ticker ticker,
      Function<String, ? extends UpstreamConnectionEvents> events) {
    return start(configs, transport, loops, resolver, random, ticker, events, TlsContextFactory.withoutIdentity());
  }

  private static UpstreamClusterManager start(
      Map<String, ClusterConfig> configs,
      Transport transport,
      EventLoopGroup loops,
      HostResolver resolver,
      Supplier<RandomGenerator> random,
      Ticker ticker,
      Function<String, ? extends UpstreamConnectionEvents> events,
      TlsContextFactory tlsContexts) {
    Map<String, ManagedCluster> clusters = new HashMap<>();
    configs.forEach(
        (name, config) ->
            clusters.put(
                name,
                new ManagedCluster(config, transport, sslContext(config, tlsContexts), random, ticker,
                    events.apply(name), loops.next())));
    List<EndpointDiscovery> discoveries =
        clusters.values().stream().map(c -> EndpointDiscovery.start(c, resolver, loops)).toList();
    return new UpstreamClusterManager(clusters, discoveries);
  }

  private static SslContext sslContext(ClusterConfig config, TlsContextFactory tlsContexts) {
    if (config.tls().isEmpty()) {
      return null;
    }
    try {
      return tlsContexts.client(config.name(), config.tls().get());
    } catch (SSLException e) {
      throw new UncheckedIOException("cluster " + config.name() + ": bad upstream TLS config", e);
    }
  }

  @Override
  public UpstreamCluster cluster(String name) {
    return clusters.get(name);
  }

  /**
   * Completes when every cluster has its first endpoint set (DNS clusters after their first
   * resolution, successful or not) and, with active health checks, each of those endpoints has had
   * its first check: the point where Envoy lets listeners take traffic.
   */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  @Override
  public void close() {
    discoveries.forEach(EndpointDiscovery::close);
    clusters.values().forEach(ManagedCluster::close);
  }
}
