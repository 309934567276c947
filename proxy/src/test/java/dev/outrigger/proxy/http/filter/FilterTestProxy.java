package dev.outrigger.proxy.http.filter;

import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.http.HttpConnectionManager;
import dev.outrigger.proxy.listener.ListenerServer;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bootstrap's first listener, bound on loopback through the real listener and connection
 * manager, with filters on a mock ticker and a manual scheduler; records every finished request.
 */
final class FilterTestProxy implements AutoCloseable {
  final MockTicker ticker = Ticker.newMockTicker();
  final ManualScheduler scheduler = new ManualScheduler();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final BlockingQueue<StreamInfo> completed = new LinkedBlockingQueue<>();
  private final EventLoopGroup group;
  private final UpstreamClusterManager clusters;
  private final ListenerServer listener;

  FilterTestProxy(String bootstrapYaml) throws Exception {
    ProxyConfig config = BootstrapLoader.loadYaml(bootstrapYaml);
    ListenerConfig listenerConfig = config.listeners().get(0);
    HttpConnectionManagerConfig hcm = (HttpConnectionManagerConfig) listenerConfig.filterChains().get(0).filter();
    Transport transport = Transport.best();
    group = transport.newGroup(2);
    clusters = UpstreamClusterManager.start(config.clusters(), transport, group, name -> UpstreamConnectionEvents.NONE);
    clusters.ready().join();
    HttpConnectionManager manager = new HttpConnectionManager(hcm, new FilterResources(meters, ticker, scheduler));
    listener = ListenerServer.bind(listenerConfig, group, transport, () -> clusters,
        (channel, context) -> manager.install(channel, context.withStreamListener(completed::add)));
  }

  int port() {
    return listener.boundAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  StreamInfo takeInfo() throws InterruptedException {
    StreamInfo info = completed.poll(10, TimeUnit.SECONDS);
    if (info == null) {
      throw new AssertionError("no request was reported");
    }
    return info;
  }

  /** The count of a counter, 0 when nothing registered it. */
  double count(String name, String... tags) {
    Counter counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    listener.stopAccepting();
    clusters.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
