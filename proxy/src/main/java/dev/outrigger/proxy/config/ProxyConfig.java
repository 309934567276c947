package dev.outrigger.proxy.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One complete, validated configuration of the proxy. */
public record ProxyConfig(
    Node node,
    Optional<InetSocketAddress> adminAddress,
    List<ListenerConfig> listeners,
    Map<String, ClusterConfig> clusters) {

  public ProxyConfig {
    listeners = List.copyOf(listeners);
    clusters = Map.copyOf(clusters);
  }

  /** The bootstrap's {@code node}: who this proxy is, as a control plane will see it. */
  public record Node(String id, String cluster) {}
}
