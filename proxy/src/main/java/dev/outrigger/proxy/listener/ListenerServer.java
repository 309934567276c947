package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.stream.StreamListener;
import dev.outrigger.proxy.upstream.ClusterManager;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Accepts connections for one listener and hands each to the network filter of its filter chain.
 * Chain selection here is the first step only (the first chain, else the default chain); listener
 * filters, {@code filter_chain_match} and downstream TLS slot in before the hand-off.
 */
public final class ListenerServer {
  private final ListenerConfig config;
  private final Channel serverChannel;

  private ListenerServer(ListenerConfig config, Channel serverChannel) {
    this.config = config;
    this.serverChannel = serverChannel;
  }

  /** Binds synchronously, so a port in use is an error at start-up and not later. */
  public static ListenerServer bind(
      ListenerConfig config,
      EventLoopGroup group,
      Transport transport,
      Supplier<ClusterManager> clusters,
      NetworkFilterInstaller installer)
      throws InterruptedException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelClass())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    FilterChainConfig chain = chooseChain(config);
                    if (chain == null) {
                      ch.close();
                      return;
                    }
                    ConnectionContext context =
                        new ConnectionContext(
                            config,
                            chain,
                            clusters.get(),
                            (InetSocketAddress) ch.remoteAddress(),
                            (InetSocketAddress) ch.localAddress(),
                            false,
                            Optional.empty(),
                            Optional.empty(),
                            StreamListener.NONE);
                    installer.install(ch, context);
                  }
                });
    Channel channel = bootstrap.bind(config.address()).sync().channel();
    return new ListenerServer(config, channel);
  }

  private static FilterChainConfig chooseChain(ListenerConfig config) {
    if (!config.filterChains().isEmpty()) {
      return config.filterChains().get(0);
    }
    return config.defaultFilterChain().orElse(null);
  }

  public ListenerConfig config() {
    return config;
  }

  /** The bound address; with port 0 in config this is where the kernel put it. */
  public InetSocketAddress boundAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Stops accepting; established connections are left to drain. */
  public void stopAccepting() {
    serverChannel.close().syncUninterruptibly();
  }
}
