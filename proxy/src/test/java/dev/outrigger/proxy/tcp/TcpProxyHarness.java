package dev.outrigger.proxy.tcp;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.DiscoveryType;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.listener.ListenerServer;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** A listener whose only chain is a TCP proxy, over the real listener and cluster manager. */
final class TcpProxyHarness implements AutoCloseable {
  final BlockingQueue<StreamInfo> sessions = new LinkedBlockingQueue<>();
  private final EventLoopGroup group;
  private final UpstreamClusterManager clusters;
  private final ListenerServer listener;

  private TcpProxyHarness(
      Map<String, ClusterConfig> clusterConfigs,
      WeightedClusters route,
      Duration idleTimeout,
      Supplier<RandomGenerator> random)
      throws InterruptedException {
    Transport transport = Transport.best();
    group = transport.newGroup(2);
    clusters = UpstreamClusterManager.start(clusterConfigs, transport, group, name -> UpstreamConnectionEvents.NONE);
    clusters.ready().join();
    TcpProxyConfig tcp = new TcpProxyConfig("tcp_test", route, idleTimeout, List.of());
    TcpProxy proxy = new TcpProxy(tcp, random);
    ListenerConfig config =
        new ListenerConfig(
            "tcp",
            new InetSocketAddress("127.0.0.1", 0),
            List.of(),
            ListenerConfig.DEFAULT_INSPECTION_TIMEOUT,
            List.of(new FilterChainConfig("tcp", FilterChainMatch.ANY, Optional.empty(), tcp)),
            Optional.empty(),
            ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES);
    listener =
        ListenerServer.bind(
            config, group, transport, () -> clusters,
            (channel, context) ->
                proxy.install(channel, context.withStreamListener(sessions::add)));
  }

  /** One cluster {@code backend} with the given upstream ports (none: an empty cluster). */
  static TcpProxyHarness toPorts(Duration idleTimeout, int... ports) throws InterruptedException {
    return new TcpProxyHarness(
        Map.of("backend", staticCluster("backend", ports)),
        WeightedClusters.single("backend"),
        idleTimeout,
        ThreadLocalRandom::current);
  }

  static TcpProxyHarness withClusters(
      Map<String, ClusterConfig> clusters, WeightedClusters route, Supplier<RandomGenerator> random)
      throws InterruptedException {
    return new TcpProxyHarness(clusters, route, TcpProxyConfig.DEFAULT_IDLE_TIMEOUT, random);
  }

  static ClusterConfig staticCluster(String name, int... ports) {
    List<EndpointConfig> endpoints =
        java.util.Arrays.stream(ports).mapToObj(p -> new EndpointConfig("127.0.0.1", p, 1)).toList();
    return new ClusterConfig(
        name, DiscoveryType.STATIC, Duration.ofSeconds(5), LbPolicy.ROUND_ROBIN, endpoints,
        ClusterConfig.UpstreamProtocol.HTTP1, Optional.empty(), ClusterConfig.DEFAULT_DNS_REFRESH_RATE);
  }

  InetSocketAddress address() {
    return listener.boundAddress();
  }

  Socket connect() throws IOException {
    InetSocketAddress address = address();
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(20_000);
    return socket;
  }

  StreamInfo nextSession() throws InterruptedException {
    StreamInfo session = sessions.poll(20, TimeUnit.SECONDS);
    if (session == null) {
      throw new AssertionError("no session ended within 20 s");
    }
    return session;
  }

  @Override
  public void close() {
    listener.stopAccepting();
    clusters.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
