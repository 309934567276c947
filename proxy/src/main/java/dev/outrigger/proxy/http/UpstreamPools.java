package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The upstream pools of one event loop, one per endpoint. Only that loop's thread touches them, so
 * they take no locks; an endpoint object identifies its cluster too.
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
    return OF_THIS_LOOP.get().byEndpoint.computeIfAbsent(endpoint, e -> newPool(loop, cluster, e));
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
