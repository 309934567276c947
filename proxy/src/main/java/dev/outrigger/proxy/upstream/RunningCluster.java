package dev.outrigger.proxy.upstream;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** A cluster and the discovery that keeps its endpoints current, started and closed together. */
record RunningCluster(ManagedCluster cluster, EndpointDiscovery discovery) {

  /**
   * Completes when the cluster has its first endpoint set (a DNS cluster after its first
   * resolution, successful or not) and, with active health checks, each endpoint its first check:
   * where Envoy's cluster warming ends.
   */
  CompletableFuture<Void> warmed() {
    return discovery.firstResolution().thenCompose(resolved -> cluster.firstChecks());
  }

  static CompletableFuture<Void> allWarmed(Collection<RunningCluster> clusters) {
    return CompletableFuture.allOf(clusters.stream().map(RunningCluster::warmed).toArray(CompletableFuture[]::new));
  }

  /** Stops discovery and retires every endpoint: pooled connections close as their requests end. */
  void close() {
    discovery.close();
    cluster.close();
  }
}
