package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.DiscoveryType;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a cluster's endpoint set current. STATIC takes the configured addresses once. STRICT_DNS
 * resolves every host to all its addresses and LOGICAL_DNS its (single) host to the first address,
 * both again every {@code dnsRefreshRate}; a host whose resolution fails keeps its last good
 * addresses, as in Envoy. One refresh runs at a time: the next is scheduled when one completes.
 */
final class EndpointDiscovery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointDiscovery.class);

  private final ManagedCluster cluster;
  private final HostResolver resolver;
  private final ScheduledExecutorService scheduler;
  private final List<EndpointConfig> hosts;
  private final AtomicReferenceArray<List<InetSocketAddress>> lastGood;
  private final CompletableFuture<Void> firstResolution = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile ScheduledFuture<?> nextRefresh;

  private EndpointDiscovery(
      ManagedCluster cluster, HostResolver resolver, ScheduledExecutorService scheduler) {
    ClusterConfig config = cluster.config();
    this.cluster = cluster;
    this.resolver = resolver;
    this.scheduler = scheduler;
    this.hosts =
        config.type() == DiscoveryType.LOGICAL_DNS && !config.endpoints().isEmpty()
            ? List.of(config.endpoints().get(0))
            : config.endpoints();
    this.lastGood = new AtomicReferenceArray<>(hosts.size());
    for (int i = 0; i < hosts.size(); i++) {
      lastGood.set(i, List.of());
    }
  }

  /** Starts discovery; closing the returned object stops DNS refreshes. */
  static EndpointDiscovery start(
      ManagedCluster cluster, HostResolver resolver, ScheduledExecutorService scheduler) {
    EndpointDiscovery discovery = new EndpointDiscovery(cluster, resolver, scheduler);
    if (cluster.config().type() == DiscoveryType.STATIC) {
      cluster.update(fixed(discovery.hosts));
      discovery.firstResolution.complete(null);
    } else {
      discovery.refresh();
    }
    return discovery;
  }

  /** A STATIC cluster's endpoints: the configured IP literals as they are. */
  static List<Endpoint> fixed(List<EndpointConfig> hosts) {
    return hosts.stream()
        .map(host -> new Endpoint(new InetSocketAddress(host.host(), host.port()), host.weight(), host.priority()))
        .toList();
  }

  /** Completes once the first resolution of every host has finished, successfully or not. */
  CompletableFuture<Void> firstResolution() {
    return firstResolution;
  }

  private void refresh() {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      int index = i;
      EndpointConfig host = hosts.get(i);
      pending.add(
          resolver
              .resolveAll(host.host())
              .thenAccept(addresses -> lastGood.set(index, socketAddresses(addresses, host.port())))
              .exceptionally(
                  failure -> {
                    log.warn(
                        "cluster {}: cannot resolve {}, keeping the last answer: {}",
                        cluster.config().name(), host.host(), failure.toString());
                    return null;
                  }));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, failure) -> {
              publish();
              firstResolution.complete(null);
              scheduleNext();
            });
  }

  private List<InetSocketAddress> socketAddresses(List<InetAddress> addresses, int port) {
    List<InetAddress> used =
        cluster.config().type() == DiscoveryType.LOGICAL_DNS && !addresses.isEmpty()
            ? addresses.subList(0, 1)
            : addresses;
    return used.stream().map(a -> new InetSocketAddress(a, port)).toList();
  }

  private void publish() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      EndpointConfig host = hosts.get(i);
      lastGood.get(i).forEach(address -> endpoints.add(new Endpoint(address, host.weight(), host.priority())));
    }
    cluster.update(endpoints);
  }

  private void scheduleNext() {
    if (!closed) {
      long millis = cluster.config().dnsRefreshRate().toMillis();
      nextRefresh = scheduler.schedule(this::refresh, millis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> scheduled = nextRefresh;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }
}
