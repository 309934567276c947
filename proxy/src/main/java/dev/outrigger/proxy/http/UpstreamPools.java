package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The upstream pools of one event loop, one per endpoint. Only that loop's thread touches them, so
 * they take no locks; an endpoint object identifies its cluster too. A pool leaves when its last
 * connection closes.
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
    return pools.byEndpoint.computeIfAbsent(endpoint, e -> pools.newPool(loop, cluster, e));
  }

  /** How many pools the calling loop holds. */
  static int onThisLoop() {
    return OF_THIS_LOOP.get().byEndpoint.size();
  }

  private EndpointPool newPool(EventLoop loop, UpstreamCluster cluster, Endpoint endpoint) {
    Runnable forget = () -> byEndpoint.remove(endpoint);
    switch (cluster.config().protocol()) {
      case HTTP2:
        return new Http2ConnectionPool(cluster, endpoint, loop, forget);
      case ALPN:
        return new AlpnConnectionPool(cluster, endpoint, loop, forget);
      default:
        return new Http1ConnectionPool(cluster, endpoint, loop, forget);
    }
  }
}
