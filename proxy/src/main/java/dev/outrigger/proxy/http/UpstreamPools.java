package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The upstream pools of one event loop, one per endpoint. Only that loop's thread touches them, so
 * they take no locks; an endpoint object identifies its cluster too. A pool lives as long as its
 * endpoint is in the cluster: when the endpoint is retired, the loop is told (a task on it), and
 * drops the pool, which closes its connections as their exchanges end.
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
    EndpointPool pool = pools.byEndpoint.get(endpoint);
    return pool != null ? pool : pools.add(loop, cluster, endpoint);
  }

  private EndpointPool add(EventLoop loop, UpstreamCluster cluster, Endpoint endpoint) {
    EndpointPool pool = newPool(loop, cluster, endpoint);
    byEndpoint.put(endpoint, pool);
    // A pick from a membership just replaced can bring an endpoint already retired: the retirement
    // is then queued at once and runs after this exchange has asked the pool for its stream.
    endpoint.whenRetired(() -> loop.execute(() -> remove(endpoint, pool)));
    return pool;
  }

  private void remove(Endpoint endpoint, EndpointPool pool) {
    byEndpoint.remove(endpoint, pool);
    pool.retire();
  }

  private static EndpointPool newPool(EventLoop loop, UpstreamCluster cluster, Endpoint endpoint) {
    switch (cluster.config().protocol()) {
      case HTTP2:
        return new Http2ConnectionPool(cluster, endpoint, loop);
      case ALPN:
        return new AlpnConnectionPool(cluster, endpoint, loop);
      default:
        return new Http1ConnectionPool(cluster, endpoint, loop);
    }
  }
}
