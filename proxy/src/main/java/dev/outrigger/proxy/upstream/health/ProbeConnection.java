package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.util.function.Consumer;

/**
 * A probe's own connection, made through the cluster (its TLS and connect timeout), never pooled:
 * it closes as soon as the check has a result. Closing before a result, failing to connect or to
 * finish TLS are network failures.
 */
final class ProbeConnection {
  private ProbeConnection() {}

  /** Connects with {@code handler} in the pipeline and hands the channel to {@code onReady} once TCP and TLS are up. */
  static void open(
      UpstreamCluster cluster,
      Endpoint endpoint,
      EventLoop loop,
      ChannelHandler handler,
      Promise<ProbeResult> result,
      Consumer<Channel> onReady) {
    ChannelFuture connecting = cluster.connect(loop, endpoint, handler);
    Channel channel = connecting.channel();
    result.addListener(done -> channel.close());
    connecting.addListener(connected -> {
      if (!connected.isSuccess()) {
        result.trySuccess(ProbeResult.NETWORK_FAILURE);
        return;
      }
      channel.closeFuture().addListener(closed -> result.trySuccess(ProbeResult.NETWORK_FAILURE));
      // The cluster's channels start with auto-read off (backpressure); a probe reads all it gets.
      channel.config().setAutoRead(true);
      UpstreamCluster.negotiatedProtocol(channel).addListener(tls -> {
        if (!tls.isSuccess()) {
          result.trySuccess(ProbeResult.NETWORK_FAILURE);
        } else if (!result.isDone()) {
          onReady.accept(channel);
        }
      });
    });
  }
}
