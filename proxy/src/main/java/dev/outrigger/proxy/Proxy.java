package dev.outrigger.proxy;

import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.http.HttpConnectionManager;
import dev.outrigger.proxy.listener.ListenerServer;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.tcp.TcpProxy;
import dev.outrigger.proxy.tcp.TcpSessionObserver;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A running proxy: one event-loop group sized to the cores, the listeners of the config, and its
 * clusters. The config snapshot is a volatile reference read once per new connection.
 */
public final class Proxy implements AutoCloseable {
  private final Transport transport;
  private final EventLoopGroup group;
  private final List<ListenerServer> listeners = new ArrayList<>();
  private final TcpProxy tcpProxy = new TcpProxy(TcpSessionObserver.NONE);
  private volatile Snapshot snapshot;

  /** A config and the runtime objects built from it, swapped together. */
  private record Snapshot(ProxyConfig config, UpstreamClusterManager clusters) {}

  private Proxy(ProxyConfig config, int threads) {
    this.transport = Transport.best();
    this.group = transport.newGroup(threads);
    try {
      this.snapshot =
          new Snapshot(config, UpstreamClusterManager.start(config.clusters(), transport, group));
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Starts every listener of {@code config}; fails (and releases what it took) if one cannot bind. */
  public static Proxy start(ProxyConfig config) throws InterruptedException {
    return start(config, Runtime.getRuntime().availableProcessors());
  }

  public static Proxy start(ProxyConfig config, int threads) throws InterruptedException {
    Proxy proxy = new Proxy(config, threads);
    try {
      // As Envoy: listeners take traffic once every cluster has its first endpoint set.
      proxy.snapshot.clusters().ready().join();
      for (ListenerConfig listener : config.listeners()) {
        proxy.listeners.add(
            ListenerServer.bind(
                listener, proxy.group, proxy.transport, () -> proxy.snapshot.clusters(),
                proxy::installNetworkFilter));
      }
    } catch (RuntimeException | InterruptedException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  private void installNetworkFilter(Channel downstream, ConnectionContext context) {
    if (context.filterChain().filter() instanceof HttpConnectionManagerConfig hcm) {
      HttpConnectionManager.install(downstream, hcm, context);
    } else if (context.filterChain().filter() instanceof TcpProxyConfig tcp) {
      tcpProxy.install(downstream, tcp, context);
    }
  }

  public ProxyConfig config() {
    return snapshot.config();
  }

  public String transportName() {
    return transport.name();
  }

  /** Where the named listener is bound (its real port when the config said 0). */
  public InetSocketAddress listenerAddress(String name) {
    return listeners.stream()
        .filter(l -> l.config().name().equals(name))
        .findFirst()
        .map(ListenerServer::boundAddress)
        .orElseThrow(() -> new NoSuchElementException("no listener named " + name));
  }

  @Override
  public void close() {
    listeners.forEach(ListenerServer::stopAccepting);
    snapshot.clusters().close();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
