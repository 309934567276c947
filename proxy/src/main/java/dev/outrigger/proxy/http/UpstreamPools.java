package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The upstream pools of one event loop, one per endpoint. Only that loop's thread touches them, so
 * they take no locks; an endpoint object identifies its cluster too. A pool leaves when its last
 * connection closes (the upstream or the idle timeout closed them all: it holds nothing worth
 * keeping) or when its endpoint is retired (the loop is told by a task; the pool closes its idle
 * connections at once and the others as their exchanges end), whichever comes first.
 */
final class UpstreamPools {
  private static final FastThreadLocal<UpstreamPools> OF_THIS_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected UpstreamPools initialValue() {
          return new UpstreamPools();
        }
      };

  private final Map<Endpoint, EndpointPool> byEndpoint = new IdentityHashMap<>();

  private UpstreamPools() {}

  /** Must be called on {@code loop}. */
  static EndpointPool of(EventLoop loop, UpstreamCluster cluster, Endpoint endpoint) {
    UpstreamPools pools = OF_THIS_LOOP.get();
    return pools.byEndpoint.computeIfAbsent(endpoint, e -> pools.new Entry(loop, cluster, e).pool);
  }

  /** How many pools the calling loop holds. */
  static int onThisLoop() {
    return OF_THIS_LOOP.get().byEndpoint.size();
  }

  /**
   * One pool's place in the map. Emptying and retirement both take it out, whichever comes first;
   * the later one finds it gone, and neither touches a newer pool of the same endpoint.
   */
  private final class Entry {
    private final Endpoint endpoint;
    private final EndpointPool pool;
    private final Runnable stopWatching;

    Entry(EventLoop loop, UpstreamCluster cluster, Endpoint endpoint) {
      this.endpoint = endpoint;
      this.pool = newPool(loop, cluster, endpoint, this::emptied);
      // A pick from a membership just replaced can bring an endpoint already retired: the retirement
      // is then queued at once and runs after this exchange has asked the pool for its stream.
      this.stopWatching = endpoint.whenRetired(() -> retireOn(loop));
    }

    /** Called by the thread that retires the endpoint. */
    private void retireOn(EventLoop loop) {
      try {
        loop.execute(this::retired);
      } catch (RejectedExecutionException loopStopped) {
        // The loop has shut down and closed its connections: nothing is left to retire.
      }
    }

    /** A long-lived endpoint sees many pools come and go: each stops watching it when it goes. */
    private void emptied() {
      byEndpoint.remove(endpoint, pool);
      stopWatching.run();
    }

    private void retired() {
      byEndpoint.remove(endpoint, pool);
      pool.retire();
    }
  }

  private static EndpointPool newPool(EventLoop loop, UpstreamCluster cluster, Endpoint endpoint, Runnable onEmpty) {
    switch (cluster.config().protocol()) {
      case HTTP2:
        return new Http2ConnectionPool(cluster, endpoint, loop, onEmpty);
      case ALPN:
        return new AlpnConnectionPool(cluster, endpoint, loop, onEmpty);
      default:
        return new Http1ConnectionPool(cluster, endpoint, loop, onEmpty);
    }
  }
}
