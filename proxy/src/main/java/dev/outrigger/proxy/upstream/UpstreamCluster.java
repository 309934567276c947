package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/** A cluster at run time: its endpoints, its balancer, and how to connect to one of them. */
public interface UpstreamCluster {
  /**
   * Envoy's default for {@code common_http_protocol_options.idle_timeout} on upstream connections,
   * which the config does not carry yet.
   */
  Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

  ClusterConfig config();

  /** How long a pooled connection may go without a request before it is closed. */
  default Duration idleTimeout() {
    return DEFAULT_IDLE_TIMEOUT;
  }

  /** The cluster's circuit breakers: one state for the cluster, shared by every event loop. */
  CircuitBreakerState breakers();

  /** Where the cluster's connection, overflow and retry events are reported (its metrics). */
  default UpstreamConnectionEvents events() {
    return UpstreamConnectionEvents.NONE;
  }

  /**
   * The next endpoint by the cluster's load-balancing policy, or null when it has none.
   *
   * @param hash the request's hash from the route's {@code hash_policy}, or a random number when the
   *     request has none (as Envoy does); only RING_HASH and MAGLEV read it
   */
  Endpoint pick(long hash);

  /**
   * Opens a connection to {@code endpoint} on {@code loop} (the loop of the downstream channel, so
   * the two never hand off). The channel is configured with the cluster's connect timeout; when the
   * cluster has TLS, an {@code SslHandler} is first in the pipeline, then {@code handler}. The
   * future completes when TCP is connected; TLS completion is signalled by the SslHandler's own
   * handshake future (see {@link #negotiatedProtocol}). The channel starts with auto-read off: the
   * owner reads when it can take bytes, which is how backpressure crosses the proxy.
   */
  ChannelFuture connect(EventLoop loop, Endpoint endpoint, ChannelHandler handler);

  /**
   * The ALPN protocol of an upstream channel made by {@link #connect}, to be called once its
   * connect future has succeeded. With TLS it completes after the handshake with the protocol the
   * server selected, or {@code null} when it selected none, and fails when the handshake fails;
   * without TLS it is already complete with {@code null}. For {@link
   * ClusterConfig.UpstreamProtocol#ALPN} the HTTP side speaks HTTP/2 when this is {@code "h2"} and
   * HTTP/1.1 otherwise, as Envoy's {@code auto_config} does.
   */
  static Future<String> negotiatedProtocol(Channel upstream) {
    SslHandler ssl = upstream.pipeline().get(SslHandler.class);
    if (ssl == null) {
      // A closed channel's pipeline is emptied: a TLS connection whose handshake already failed
      // must not look like a plaintext one that succeeded.
      return upstream.isActive()
          ? upstream.eventLoop().newSucceededFuture(null)
          : upstream.eventLoop().newFailedFuture(new ClosedChannelException());
    }
    Promise<String> protocol = upstream.eventLoop().newPromise();
    ssl.handshakeFuture()
        .addListener(
            handshake -> {
              if (handshake.isSuccess()) {
                protocol.setSuccess(ssl.applicationProtocol());
              } else {
                protocol.setFailure(handshake.cause());
              }
            });
    return protocol;
  }
}
