package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.identity.HandshakeFailures;
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
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Accepts connections for one listener: listener filters peek at the first bytes, the filter chain
 * is chosen by Envoy's rules, TLS is terminated when the chain says so, and the chain's network
 * filter takes over. What it serves new connections with is one {@link ListenerChains}, read once
 * per accepted connection and replaceable while bound ({@link #serve}).
 */
public final class ListenerServer {
  /** Chains this server prepared itself (the single-installer form of {@link #bind}): it releases them. */
  private final List<PreparedChain> owned;
  private volatile ListenerChains serving;
  /** Set once bound, before {@link #bind} returns; connections accepted earlier do not read it. */
  private Channel serverChannel;

  private ListenerServer(List<PreparedChain> owned, ListenerChains serving) {
    this.owned = owned;
    this.serving = serving;
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
   * Every chain of {@code config} handed to one {@code installer}, for the whole life of the
   * listener; each cluster look-up goes through {@code clusters}.
   *
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
    List<PreparedChain> prepared = new ArrayList<>();
    try {
      for (FilterChainConfig chain : config.filterChains()) {
        prepared.add(PreparedChain.prepare(chain, installer, tlsContexts));
      }
      Optional<PreparedChain> defaultChain =
          config.defaultFilterChain().map(chain -> PreparedChain.prepare(chain, installer, tlsContexts));
      defaultChain.ifPresent(prepared::add);
      ClusterManager throughSupplier = name -> clusters.get().cluster(name);
      ListenerChains serving =
          ListenerChains.of(config, prepared.subList(0, config.filterChains().size()), defaultChain, throughSupplier);
      return bind(serving, group, transport, observer, tlsContexts.handshakeFailures(), List.copyOf(prepared));
    } catch (RuntimeException | InterruptedException e) {
      prepared.forEach(PreparedChain::release);
      throw e;
    }
  }

  /**
   * Binds {@code serving.config().address()} synchronously and serves with {@code serving}; the
   * caller keeps ownership of its prepared chains.
   */
  public static ListenerServer bind(
      ListenerChains serving,
      EventLoopGroup group,
      Transport transport,
      ListenerObserver observer,
      HandshakeFailures handshakeFailures)
      throws InterruptedException {
    return bind(serving, group, transport, observer, handshakeFailures, List.of());
  }

  private static ListenerServer bind(
      ListenerChains first,
      EventLoopGroup group,
      Transport transport,
      ListenerObserver observer,
      HandshakeFailures handshakeFailures,
      List<PreparedChain> owned)
      throws InterruptedException {
    ChainLauncher launcher = new ChainLauncher(observer, handshakeFailures);
    // Made before the bind: a connection can be accepted before bind() returns here.
    ListenerServer server = new ListenerServer(owned, first);
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
                    accept(ch, server.serving, launcher);
                  }
                });
    server.serverChannel = bootstrap.bind(first.config.address()).sync().channel();
    return server;
  }

  /** The one read of {@code serving} for this connection: everything below uses what it read. */
  private static void accept(Channel ch, ListenerChains serving, ChainLauncher launcher) {
    ListenerConfig config = serving.config;
    int bufferLimit = config.perConnectionBufferLimitBytes();
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(bufferLimit / 2, bufferLimit));
    if (config.inspectors().isEmpty()) {
      launcher.launch(ch, Detected.NOTHING, serving);
    } else {
      ch.pipeline()
          .addLast(
              new ProtocolInspector(
                  config.inspectors(),
                  config.inspectionTimeout(),
                  (ctx, detected) -> launcher.launch(ctx.channel(), detected, serving)));
    }
  }

  /**
   * New connections are served with {@code next} from now on; connections already accepted keep
   * what they read. {@code next} must be for the same address.
   */
  public void serve(ListenerChains next) {
    if (!next.config.address().equals(serving.config.address())) {
      throw new IllegalArgumentException(
          "listener " + next.config.name() + " is bound to " + serving.config.address() + ", not " + next.config.address());
    }
    serving = next;
  }

  public ListenerConfig config() {
    return serving.config;
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
    owned.forEach(PreparedChain::release);
  }
}
