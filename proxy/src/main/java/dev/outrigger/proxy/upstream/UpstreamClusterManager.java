package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.identity.TlsContextFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Ticker;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
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
 * The running clusters, by name, for the life of the proxy: endpoints kept current by discovery
 * (static or DNS), a balancer per cluster, and the upstream {@code SslContext} built once per
 * cluster. A config update ({@link #prepare}) builds only the clusters that are new or changed;
 * the others keep their endpoints, health state and pooled connections, and a STATIC one whose
 * endpoints alone changed takes them in place on publish. Closing it stops DNS refreshes and
 * releases the TLS contexts; connections already made are not touched.
 */
public final class UpstreamClusterManager implements ClusterManager, AutoCloseable {
  /** Shared by every cluster: JVM name lookups block, so they get their own daemon thread. */
  private static final Executor BLOCKING_LOOKUPS =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "outrigger-dns");
            thread.setDaemon(true);
            return thread;
          });

  private final Function<ClusterConfig, RunningCluster> factory;
  /** Read once per request; replaced whole by {@link ClusterUpdate#publish}. */
  private volatile Map<String, ManagedCluster> clusters;
  /** The same clusters with their discovery; only the thread that publishes touches it. */
  private Map<String, RunningCluster> running;
  private final CompletableFuture<Void> ready;

  private UpstreamClusterManager(
      Map<String, ClusterConfig> configs, Function<ClusterConfig, RunningCluster> factory) {
    this.factory = factory;
    this.running = Map.copyOf(build(configs.values()));
    this.clusters = clustersOf(running);
    this.ready = RunningCluster.allWarmed(running.values());
  }

  private Map<String, RunningCluster> build(Collection<ClusterConfig> configs) {
    Map<String, RunningCluster> built = new HashMap<>();
    try {
      configs.forEach(config -> built.put(config.name(), factory.apply(config)));
    } catch (RuntimeException e) {
      built.values().forEach(RunningCluster::close);
      throw e;
    }
    return built;
  }

  private static Map<String, ManagedCluster> clustersOf(Map<String, RunningCluster> running) {
    Map<String, ManagedCluster> byName = new HashMap<>();
    running.forEach((name, cluster) -> byName.put(name, cluster.cluster()));
    return Map.copyOf(byName);
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
    return new UpstreamClusterManager(
        configs,
        config -> {
          ManagedCluster cluster = new ManagedCluster(config, transport, sslContext(config, tlsContexts), random,
              ticker, events.apply(config.name()), loops.next());
          return new RunningCluster(cluster, EndpointDiscovery.start(cluster, resolver, loops));
        });
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
   * Completes when every cluster of the first config has its first endpoint set (DNS clusters
   * after their first resolution, successful or not) and, with active health checks, each of those
   * endpoints has had its first check: the point where Envoy lets listeners take traffic.
   */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /**
   * Starts the clusters of {@code next} that are new or whose config changed, and leaves
   * everything running untouched until the update is published. Updates must not overlap: prepare
   * the next one after this one is published or abandoned.
   *
   * @throws UncheckedIOException when a cluster's TLS material cannot be loaded (nothing is left running)
   */
  public ClusterUpdate prepare(Map<String, ClusterConfig> next) {
    Map<String, RunningCluster> current = running;
    Map<String, ClusterConfig> reassigned = new HashMap<>();
    next.values().stream()
        .filter(config -> endpointsOnly(current.get(config.name()), config))
        .forEach(config -> reassigned.put(config.name(), config));
    Map<String, RunningCluster> built = build(next.values().stream()
        .filter(config -> !unchanged(current.get(config.name()), config) && !reassigned.containsKey(config.name()))
        .toList());
    Map<String, RunningCluster> after = new HashMap<>(built);
    next.values().forEach(config -> after.putIfAbsent(config.name(), current.get(config.name())));
    return new ClusterUpdate(this, current, Map.copyOf(after), Map.copyOf(built), Map.copyOf(reassigned));
  }

  private static boolean unchanged(RunningCluster running, ClusterConfig config) {
    return running != null && running.cluster().config().equals(config);
  }

  /**
   * A STATIC cluster (EDS ones are) whose config changed in its endpoints alone takes them in place
   * rather than being replaced, as Envoy applies an EDS update to the running cluster.
   */
  private static boolean endpointsOnly(RunningCluster running, ClusterConfig config) {
    if (running == null) {
      return false;
    }
    ClusterConfig now = running.cluster().config();
    return now.type() == ClusterConfig.DiscoveryType.STATIC
        && !now.endpoints().equals(config.endpoints())
        && now.withEndpoints(config.endpoints()).equals(config);
  }

  /** Makes {@code update} the running clusters; what it replaced or dropped is closed. */
  void publish(ClusterUpdate update) {
    if (running != update.before()) {
      throw new IllegalStateException("another cluster update was published since this one was prepared");
    }
    running = update.after();
    clusters = clustersOf(running);
    update.reassignedConfigs().forEach((name, config) -> running.get(name).cluster().reassign(config));
    update.before().forEach(
        (name, old) -> {
          if (update.after().get(name) != old) {
            old.close();
          }
        });
  }

  /**
   * What a connection accepted now resolves: the running cluster of a name, or for a name no
   * longer running the cluster it had in {@code atAccept} (a connection being drained may still
   * route to it; the cluster is closed, so each such request gets a connection of its own).
   */
  ClusterManager view(Map<String, RunningCluster> atAccept) {
    Map<String, ManagedCluster> fallback = clustersOf(atAccept);
    return name -> {
      ManagedCluster now = clusters.get(name);
      return now != null ? now : fallback.get(name);
    };
  }

  @Override
  public void close() {
    running.values().forEach(RunningCluster::close);
  }
}
