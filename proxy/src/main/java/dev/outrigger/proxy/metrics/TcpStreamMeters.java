package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.stream.StreamListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Connection metrics of one TCP proxy filter chain, bound per cluster at config time. */
final class TcpStreamMeters implements StreamListener {
  /** What one finished connection to a cluster counts. */
  private record ClusterMeters(Counter connections, UpstreamMeters upstream) {}

  private final ListenerMeters listener;
  private final Map<String, ClusterMeters> clusters;
  private final ClusterMeters noCluster;

  private TcpStreamMeters(ListenerMeters listener, Map<String, ClusterMeters> clusters, ClusterMeters noCluster) {
    this.listener = listener;
    this.clusters = clusters;
    this.noCluster = noCluster;
  }

  static TcpStreamMeters of(
      MeterRegistry registry,
      String listenerName,
      ListenerMeters listener,
      WeightedClusters targets,
      Function<String, UpstreamMeters> upstream) {
    Map<String, ClusterMeters> clusters = new HashMap<>();
    for (WeightedClusters.Entry entry : targets.entries()) {
      clusters.put(
          entry.cluster(),
          new ClusterMeters(connections(registry, listenerName, entry.cluster()), upstream.apply(entry.cluster())));
    }
    ClusterMeters none = new ClusterMeters(connections(registry, listenerName, HttpStreamMeters.NONE), null);
    return new TcpStreamMeters(listener, Map.copyOf(clusters), none);
  }

  private static Counter connections(MeterRegistry registry, String listener, String cluster) {
    return Counter.builder("outrigger.tcp.connections")
        .tag("listener", listener)
        .tag("cluster", cluster)
        .register(registry);
  }

  @Override
  public void onStart(StreamInfo info) {
    listener.tcpConnectionStarted();
  }

  @Override
  public void onComplete(StreamInfo info) {
    listener.tcpConnectionEnded();
    listener.streamBytes(info);
    ClusterMeters cluster = clusters.getOrDefault(info.upstreamCluster(), noCluster);
    cluster.connections().increment();
    if (cluster.upstream() != null) {
      cluster.upstream().streamBytes(info);
    }
  }
}
