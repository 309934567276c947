package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.Promise;
import java.util.function.Supplier;

/**
 * One HTTP request on a probe connection, over HTTP/1.1 or HTTP/2 (prior knowledge, or ALPN when
 * the cluster's TLS offers it), with the response handed as HTTP objects to readers, the last of which completes
 * the result. The request is made only once the connection is up, and then belongs to the channel.
 */
final class ProbeRequest {
  private ProbeRequest() {}

  static void send(
      UpstreamCluster cluster,
      Endpoint endpoint,
      EventLoop loop,
      boolean http2,
      Supplier<FullHttpRequest> request,
      Supplier<ChannelHandler[]> readers,
      Promise<ProbeResult> result) {
    if (http2) {
      ChannelHandler codec = new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          ch.pipeline().addLast(
              Http2FrameCodecBuilder.forClient().build(),
              new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
              new FailOnError(result));
        }
      };
      ProbeConnection.open(cluster, endpoint, loop, codec, result,
          connection -> openStream(connection, request, readers, result));
    } else {
      ChannelHandler codec = new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          ch.pipeline().addLast(new HttpClientCodec()).addLast(readers.get()).addLast(new FailOnError(result));
        }
      };
      ProbeConnection.open(cluster, endpoint, loop, codec, result,
          connection -> connection.writeAndFlush(request.get()));
    }
  }

  private static void openStream(
      Channel connection,
      Supplier<FullHttpRequest> request,
      Supplier<ChannelHandler[]> readers,
      Promise<ProbeResult> result) {
    new Http2StreamChannelBootstrap(connection)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel stream) {
            stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false)).addLast(readers.get())
                .addLast(new FailOnError(result));
          }
        })
        .open()
        .addListener(opened -> {
          if (opened.isSuccess()) {
            Channel stream = (Channel) opened.getNow();
            stream.closeFuture().addListener(closed -> result.trySuccess(ProbeResult.NETWORK_FAILURE));
            stream.writeAndFlush(request.get());
          } else {
            result.trySuccess(ProbeResult.NETWORK_FAILURE);
          }
        });
  }

  /** A garbled response or a reset stream: no usable answer. */
  private static final class FailOnError extends ChannelInboundHandlerAdapter {
    private final Promise<ProbeResult> result;

    FailOnError(Promise<ProbeResult> result) {
      this.result = result;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.trySuccess(ProbeResult.NETWORK_FAILURE);
      ctx.close();
    }
  }
}
