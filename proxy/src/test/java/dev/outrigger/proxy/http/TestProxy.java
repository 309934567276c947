package dev.outrigger.proxy.http;

import dev.outrigger.proxy.config.LoadBalancerSettings;
import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig.CodecType;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.RetryPolicy;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.upstream.ClusterManager;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP connection manager on a real loopback listener with one event loop (so that one upstream
 * pool serves every request), recording every finished exchange's StreamInfo.
 */
final class TestProxy implements AutoCloseable {
  private final EventLoopGroup group;
  private final UpstreamClusterManager configured;
  private final Channel server;
  private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  final BlockingQueue<StreamInfo> completed = new LinkedBlockingQueue<>();

  private TestProxy(Builder builder) throws InterruptedException {
    Transport transport = Transport.best();
    group = transport.newGroup(1);
    HttpConnectionManagerConfig hcm = builder.hcmConfig();
    HttpConnectionManager manager = new HttpConnectionManager(hcm);
    ListenerConfig listener =
        new ListenerConfig(
            "test-listener",
            new InetSocketAddress("127.0.0.1", 0),
            List.of(),
            ListenerConfig.DEFAULT_INSPECTION_TIMEOUT,
            List.of(new FilterChainConfig("chain", FilterChainMatch.ANY, Optional.empty(), hcm)),
            Optional.empty(),
            ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES);
    configured = UpstreamClusterManager.start(builder.clusters, transport, group, builder.events);
    configured.ready().join();
    ClusterManager clusters = name -> builder.handMade.containsKey(name) ? builder.handMade.get(name) : configured.cluster(name);
    server =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelClass())
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    accepted.add(ch);
                    ConnectionContext context =
                        new ConnectionContext(
                            listener,
                            listener.filterChains().get(0),
                            clusters,
                            (InetSocketAddress) ch.remoteAddress(),
                            (InetSocketAddress) ch.localAddress(),
                            false,
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            completed::add);
                    manager.install(ch, context);
                  }
                })
            .bind(listener.address())
            .sync()
            .channel();
  }

  static Builder builder() {
    return new Builder();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  StreamInfo takeInfo() throws InterruptedException {
    StreamInfo info = completed.poll(10, TimeUnit.SECONDS);
    if (info == null) {
      throw new AssertionError("no exchange was reported");
    }
    return info;
  }

  void drainAll() {
    accepted.forEach(HttpConnectionManager::drain);
  }

  /** Runs {@code task} on the proxy's one event loop (where its upstream pools live). */
  <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
    return group.next().submit(task).get(10, TimeUnit.SECONDS);
  }

  /** A cluster from config, to look at its circuit breakers. */
  UpstreamCluster cluster(String name) {
    return configured.cluster(name);
  }

  int openDownstreamConnections() {
    return accepted.size();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    configured.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static final class Builder {
    private final List<RouteConfig> routes = new ArrayList<>();
    private final Map<String, ClusterConfig> clusters = new HashMap<>();
    private final Map<String, UpstreamCluster> handMade = new HashMap<>();
    private CodecType codec = CodecType.AUTO;
    private Duration streamIdleTimeout = HttpConnectionManagerConfig.DEFAULT_STREAM_IDLE_TIMEOUT;
    private Duration requestTimeout = Duration.ZERO;
    private Duration idleTimeout = HttpConnectionManagerConfig.DEFAULT_IDLE_TIMEOUT;
    private boolean useRemoteAddress;
    private boolean generateRequestId = true;
    private Function<String, ? extends UpstreamConnectionEvents> events = name -> UpstreamConnectionEvents.NONE;
    private Optional<RetryPolicy> virtualHostRetry = Optional.empty();
    private boolean attemptCountInRequest;
    private boolean attemptCountInResponse;

    Builder forward(String prefix, String cluster) {
      return forward(prefix, cluster, RouteAction.Forward.DEFAULT_TIMEOUT);
    }

    Builder forward(String prefix, String cluster, Duration timeout) {
      return route(
          prefix,
          new RouteAction.Forward(
              WeightedClusters.single(cluster),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              false,
              timeout,
              Optional.empty()));
    }

    Builder route(String prefix, RouteAction action) {
      routes.add(
          new RouteConfig(
              "route" + routes.size(),
              new RouteMatchConfig(new RouteMatchConfig.PathMatch.Prefix(prefix), true, List.of(), List.of(), false),
              action,
              HeaderMutations.NONE));
      return this;
    }

    Builder cluster(String name, int port, UpstreamProtocol protocol) {
      return cluster(name, List.of(new ClusterConfig.EndpointConfig("127.0.0.1", port, 1)), protocol);
    }

    Builder cluster(String name, List<ClusterConfig.EndpointConfig> endpoints, UpstreamProtocol protocol) {
      return cluster(name, endpoints, protocol, CircuitBreakers.DEFAULTS);
    }

    Builder cluster(
        String name, List<ClusterConfig.EndpointConfig> endpoints, UpstreamProtocol protocol, CircuitBreakers breakers) {
      clusters.put(
          name,
          new ClusterConfig(
              name,
              ClusterConfig.DiscoveryType.STATIC,
              Duration.ofSeconds(2),
              ClusterConfig.LbPolicy.ROUND_ROBIN,
              endpoints,
              protocol,
              Optional.empty(),
              ClusterConfig.DEFAULT_DNS_REFRESH_RATE,
              breakers,
              Optional.empty(),
              Optional.empty(),
              LoadBalancerSettings.DEFAULTS));
      return this;
    }

    /** A cluster built by the test itself (TLS, say) rather than from config. */
    Builder cluster(String name, UpstreamCluster cluster) {
      handMade.put(name, cluster);
      return this;
    }

    Builder codec(CodecType codec) {
      this.codec = codec;
      return this;
    }

    Builder streamIdleTimeout(Duration timeout) {
      this.streamIdleTimeout = timeout;
      return this;
    }

    Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    Builder useRemoteAddress(boolean use) {
      this.useRemoteAddress = use;
      return this;
    }

    /** Where clusters report their events (metrics); none by default. */
    Builder events(Function<String, ? extends UpstreamConnectionEvents> events) {
      this.events = events;
      return this;
    }

    /** The virtual host's retry policy and {@code x-envoy-attempt-count} settings. */
    Builder virtualHostRetry(Optional<RetryPolicy> policy, boolean countInRequest, boolean countInResponse) {
      this.virtualHostRetry = policy;
      this.attemptCountInRequest = countInRequest;
      this.attemptCountInResponse = countInResponse;
      return this;
    }

    Builder generateRequestId(boolean generate) {
      this.generateRequestId = generate;
      return this;
    }

    HttpConnectionManagerConfig hcmConfig() {
      RouteTableConfig table =
          new RouteTableConfig(
              "routes",
              List.of(new VirtualHostConfig("all", List.of("*"), routes, HeaderMutations.NONE, virtualHostRetry,
                  Optional.empty(), attemptCountInRequest, attemptCountInResponse, Map.of())),
              HeaderMutations.NONE);
      return new HttpConnectionManagerConfig(
          "test",
          codec,
          table,
          streamIdleTimeout,
          requestTimeout,
          idleTimeout,
          HttpConnectionManagerConfig.DEFAULT_MAX_REQUEST_HEADERS_KB,
          useRemoteAddress,
          0,
          generateRequestId,
          List.of());
    }

    Map<String, ClusterConfig> clusters() {
      return clusters;
    }

    TestProxy start() throws InterruptedException {
      return new TestProxy(this);
    }
  }
}
