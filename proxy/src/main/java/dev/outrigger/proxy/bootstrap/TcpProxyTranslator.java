package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code envoy.filters.network.tcp_proxy} with Envoy's defaults. */
final class TcpProxyTranslator {
  private final Translation translation;

  TcpProxyTranslator(Translation translation) {
    this.translation = translation;
  }

  Optional<TcpProxyConfig> translate(TcpProxy tcp, FieldPath path) {
    if (tcp.getStatPrefix().isEmpty()) {
      translation.error(path.field("stat_prefix"), "required");
    }
    Optional<WeightedClusters> clusters = clusters(tcp, path);
    Duration idle = tcp.hasIdleTimeout()
        ? translation.duration(tcp.getIdleTimeout(), path.field("idle_timeout"))
        : TcpProxyConfig.DEFAULT_IDLE_TIMEOUT;
    var accessLogs = new AccessLogTranslator(translation).translate(tcp.getAccessLogList(), path.field("access_log"));
    return clusters.map(c -> new TcpProxyConfig(tcp.getStatPrefix(), c, idle, accessLogs));
  }

  private Optional<WeightedClusters> clusters(TcpProxy tcp, FieldPath path) {
    switch (tcp.getClusterSpecifierCase()) {
      case CLUSTER:
        translation.referCluster(tcp.getCluster(), path.field("cluster"));
        return Optional.of(WeightedClusters.single(tcp.getCluster()));
      case WEIGHTED_CLUSTERS:
        FieldPath listPath = path.field("weighted_clusters").field("clusters");
        List<TcpProxy.WeightedCluster.ClusterWeight> weights = tcp.getWeightedClusters().getClustersList();
        if (weights.isEmpty()) {
          translation.error(listPath, "required: at least one cluster");
          return Optional.empty();
        }
        List<WeightedClusters.Entry> entries = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
          FieldPath entryPath = listPath.index(i);
          translation.referCluster(weights.get(i).getName(), entryPath.field("name"));
          if (weights.get(i).getWeight() < 1) {
            translation.error(entryPath.field("weight"), "must be at least 1");
          }
          entries.add(new WeightedClusters.Entry(weights.get(i).getName(), weights.get(i).getWeight(),
              HeaderMutations.NONE));
        }
        return Optional.of(WeightedClusters.of(entries));
      default:
        translation.error(path, "one of cluster, weighted_clusters is required");
        return Optional.empty();
    }
  }
}
