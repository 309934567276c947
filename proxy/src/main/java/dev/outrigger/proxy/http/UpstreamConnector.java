package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/** Connects to an endpoint and completes once the connection is usable: TCP up and TLS, if any, done. */
final class UpstreamConnector {
  private UpstreamConnector() {}

  static Future<Channel> connect(
      UpstreamCluster cluster, Endpoint endpoint, EventLoop loop, ChannelHandler initializer) {
    Promise<Channel> ready = loop.newPromise();
    ChannelFuture connected = cluster.connect(loop, endpoint, initializer);
    connected.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            ready.tryFailure(f.cause());
            return;
          }
          SslHandler tls = f.channel().pipeline().get(SslHandler.class);
          if (tls == null) {
            ready.trySuccess(f.channel());
            return;
          }
          tls.handshakeFuture()
              .addListener(
                  h -> {
                    if (h.isSuccess()) {
                      ready.trySuccess(f.channel());
                    } else {
                      f.channel().close();
                      ready.tryFailure(h.cause());
                    }
                  });
          f.channel().read();
        });
    return ready;
  }
}
