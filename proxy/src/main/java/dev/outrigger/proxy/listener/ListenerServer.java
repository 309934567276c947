package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.NetworkFilterConfig;
import dev.outrigger.proxy.identity.TlsContextFactory;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.upstream.ClusterManager;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Accepts connections for one listener: listener filters peek at the first bytes, the filter chain
 * is chosen by Envoy's rules, TLS is terminated when the chain says so, and the chain's network
 * filter takes over. TLS contexts are built once per chain when the listener is bound.
 */
public final class ListenerServer {
  private final ListenerConfig config;
  private final Channel serverChannel;
  private final List<SslContext> sslContexts;

  private ListenerServer(ListenerConfig config, Channel serverChannel, List<SslContext> sslContexts) {
    this.config = config;
    this.serverChannel = serverChannel;
    this.sslContexts = sslContexts;
  }

  /** Binds synchronously, so a port in use is an error at start-up and not later. */
  public static ListenerServer bind(
      ListenerConfig config,
      EventLoopGroup group,
      Transport transport,
      Supplier<ClusterManager> clusters,
      NetworkFilterInstaller installer)
      throws InterruptedException {
    return bind(config, group, transport, clusters, installer, ListenerObserver.NONE);
  }

  /**
   * @throws UncheckedIOException when a chain's TLS material cannot be loaded
   */
  public static ListenerServer bind(
      ListenerConfig config,
      EventLoopGroup group,
      Transport transport,
      Supplier<ClusterManager> clusters,
      NetworkFilterInstaller installer,
      ListenerObserver observer)
      throws InterruptedException {
    return bind(config, group, transport, clusters, installer, observer, TlsContextFactory.withoutIdentity());
  }

  /**
   * @param tlsContexts builds each chain's TLS context, with the workload identity where the chain
   *     asks for it
   * @throws UncheckedIOException when a chain's TLS material cannot be loaded
   */
  public static ListenerServer bind(
      ListenerConfig config,
      EventLoopGroup group,
      Transport transport,
      Supplier<ClusterManager> clusters,
      NetworkFilterInstaller installer,
      ListenerObserver observer,
      TlsContextFactory tlsContexts)
      throws InterruptedException {
    List<SslContext> sslContexts = new ArrayList<>();
    try {
      List<PreparedChain> chains = new ArrayList<>();
      for (FilterChainConfig chain : config.filterChains()) {
        chains.add(prepare(chain, tlsContexts, sslContexts));
      }
      PreparedChain defaultChain =
          config.defaultFilterChain().map(chain -> prepare(chain, tlsContexts, sslContexts)).orElse(null);
      ChainLauncher launcher =
          new ChainLauncher(
              config, new FilterChainSelector(chains, defaultChain), clusters, installer, observer,
              tlsContexts.handshakeFailures());
      int bufferLimit = config.perConnectionBufferLimitBytes();
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(group)
              .channel(transport.serverChannelClass())
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.AUTO_READ, false)
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(bufferLimit / 2, bufferLimit))
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      if (config.inspectors().isEmpty()) {
                        launcher.launch(ch, Detected.NOTHING);
                      } else {
                        ch.pipeline()
                            .addLast(
                                new ProtocolInspector(
                                    config.inspectors(),
                                    config.inspectionTimeout(),
                                    (ctx, detected) -> launcher.launch(ctx.channel(), detected)));
                      }
                    }
                  });
      Channel channel = bootstrap.bind(config.address()).sync().channel();
      return new ListenerServer(config, channel, List.copyOf(sslContexts));
    } catch (RuntimeException | InterruptedException e) {
      sslContexts.forEach(ReferenceCountUtil::release);
      throw e;
    }
  }

  private static PreparedChain prepare(
      FilterChainConfig chain, TlsContextFactory tlsContexts, List<SslContext> built) {
    if (chain.tls().isEmpty()) {
      return new PreparedChain(chain, null);
    }
    try {
      SslContext ssl = tlsContexts.server(chain.name(), withCodecAlpn(chain.tls().get(), chain.filter()));
      built.add(ssl);
      return new PreparedChain(chain, ssl);
    } catch (SSLException e) {
      throw new UncheckedIOException("filter chain " + chain.name() + ": bad TLS config", e);
    }
  }

  /**
   * An empty ALPN list lets the chain's codec decide what is offered: an HTTP connection manager
   * offers what its codec type speaks, a TCP proxy nothing.
   */
  private static DownstreamTlsConfig withCodecAlpn(DownstreamTlsConfig tls, NetworkFilterConfig filter) {
    if (!tls.alpnProtocols().isEmpty() || !(filter instanceof HttpConnectionManagerConfig)) {
      return tls;
    }
    List<String> alpn;
    switch (((HttpConnectionManagerConfig) filter).codecType()) {
      case HTTP1:
        alpn = List.of(ApplicationProtocolNames.HTTP_1_1);
        break;
      case HTTP2:
        alpn = List.of(ApplicationProtocolNames.HTTP_2);
        break;
      default:
        alpn = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    }
    return tls.withAlpnProtocols(alpn);
  }

  public ListenerConfig config() {
    return config;
  }

  /** The bound address; with port 0 in config this is where the kernel put it. */
  public InetSocketAddress boundAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /**
   * Stops accepting; established connections are left to drain (their TLS engines hold their own
   * reference to the contexts released here).
   */
  public void stopAccepting() {
    serverChannel.close().syncUninterruptibly();
    sslContexts.forEach(ReferenceCountUtil::release);
  }
}
