package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.runtime.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first cluster manager: endpoints taken as given (IP literals resolved once), round robin.
 * Balancer policies, DNS refresh and upstream TLS replace the pieces of this class as they land.
 */
public final class StaticClusterManager implements ClusterManager {
  private final Map<String, UpstreamCluster> clusters = new HashMap<>();

  public StaticClusterManager(Map<String, ClusterConfig> configs, Transport transport) {
    configs.forEach((name, config) -> clusters.put(name, new RoundRobinCluster(config, transport)));
  }

  @Override
  public UpstreamCluster cluster(String name) {
    return clusters.get(name);
  }

  private static final class RoundRobinCluster implements UpstreamCluster {
    private final ClusterConfig config;
    private final Transport transport;
    private final List<Endpoint> endpoints;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinCluster(ClusterConfig config, Transport transport) {
      this.config = config;
      this.transport = transport;
      this.endpoints =
          config.endpoints().stream()
              .map(e -> new Endpoint(new InetSocketAddress(e.host(), e.port()), e.weight()))
              .toList();
    }

    @Override
    public ClusterConfig config() {
      return config;
    }

    @Override
    public Endpoint pick() {
      if (endpoints.isEmpty()) {
        return null;
      }
      return endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
    }

    @Override
    public ChannelFuture connect(EventLoop loop, Endpoint endpoint, ChannelHandler handler) {
      return new Bootstrap()
          .group(loop)
          .channel(transport.channelClass())
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.AUTO_READ, false)
          .handler(handler)
          .connect(endpoint.address());
    }
  }
}
