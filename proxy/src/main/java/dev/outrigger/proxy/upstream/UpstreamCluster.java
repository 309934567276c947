package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

/** A cluster at run time: its endpoints, its balancer, and how to connect to one of them. */
public interface UpstreamCluster {

  ClusterConfig config();

  /** The next endpoint by the cluster's load-balancing policy, or null when it has none. */
  Endpoint pick();

  /**
   * Opens a connection to {@code endpoint} on {@code loop} (the loop of the downstream channel, so
   * the two never hand off). The channel is configured with the cluster's connect timeout; when the
   * cluster has TLS, an {@code SslHandler} is first in the pipeline, then {@code handler}. The
   * future completes when TCP is connected; TLS completion is signalled by the SslHandler's own
   * handshake future. The channel starts with auto-read off: the owner reads when it can take
   * bytes, which is how backpressure crosses the proxy.
   */
  ChannelFuture connect(EventLoop loop, Endpoint endpoint, ChannelHandler handler);
}
