package dev.outrigger.proxy;

import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.lifecycle.ConnectionTracker;
import dev.outrigger.proxy.listener.PreparedChain;
import dev.outrigger.proxy.metrics.ListenerMeters;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import dev.outrigger.proxy.stream.StreamListener;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One filter chain as it runs: its network filter (route tables compiled), what its connections
 * report to (metrics, access logs), its TLS context, and its live connections, so that it can be
 * drained alone when a config update changes or removes it. A change of its route table alone is
 * swapped in without draining.
 */
final class BoundChain implements NetworkFilterInstaller {
  private final NetworkFilterInstaller filter;
  private final StreamListener streams;
  private final ListenerMeters meters;
  private final ConnectionTracker proxyConnections;
  private final ConnectionTracker connections = new ConnectionTracker();
  private final RouteTableSwap routes;
  private PreparedChain prepared;
  private boolean released;

  BoundChain(
      NetworkFilterInstaller filter, StreamListener streams, ListenerMeters meters, ConnectionTracker proxyConnections,
      RouteTableSwap routes) {
    this.filter = filter;
    this.streams = streams;
    this.meters = meters;
    this.proxyConnections = proxyConnections;
    this.routes = routes;
  }

  /** Set once, right after construction: the prepared chain installs through this object. */
  void prepared(PreparedChain prepared) {
    this.prepared = prepared;
  }

  PreparedChain prepared() {
    return prepared;
  }

  /**
   * Counts {@code downstream} until it closes, and hands it to the network filter with the chain's
   * stream listener. A connection that chose this chain just before it was retired is drained at
   * once.
   */
  @Override
  public void install(Channel downstream, ConnectionContext accepted) {
    proxyConnections.track(downstream);
    connections.track(downstream);
    meters.connectionOpened();
    downstream.closeFuture().addListener(closed -> meters.connectionClosed());
    filter.install(downstream, accepted.withStreamListener(streams));
  }

  /** See {@link RouteTableSwap#prepare}. */
  Runnable prepareRoutes(RouteTableConfig table, Collection<String> clusters) {
    return routes.prepare(table, clusters);
  }

  /** Releases the TLS context, once: new connections can no longer choose this chain. */
  synchronized void release() {
    if (prepared != null && !released) {
      released = true;
      prepared.release();
    }
  }

  /**
   * Takes the chain out of service: its connections are asked to finish (GOAWAY / {@code
   * Connection: close}) and those still open after {@code drainTime} are closed.
   */
  void retire(Duration drainTime, ScheduledExecutorService timer) {
    release();
    try {
      ScheduledFuture<?> deadline = timer.schedule(connections::closeAll, drainTime.toNanos(), TimeUnit.NANOSECONDS);
      connections.startDrain().thenRun(() -> deadline.cancel(false));
    } catch (RejectedExecutionException stopping) {
      // The proxy is shutting down: its own drain closes every connection.
      connections.startDrain();
    }
  }
}
