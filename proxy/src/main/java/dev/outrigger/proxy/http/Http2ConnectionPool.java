package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One HTTP/2 connection to one endpoint per event loop (prior knowledge for h2c), multiplexing a
 * stream per exchange. Requests that arrive while it connects wait for it. After a GOAWAY the
 * connection takes no new streams; the next request opens a new one.
 */
final class Http2ConnectionPool implements EndpointPool {
  private final UpstreamCluster cluster;
  private final Endpoint endpoint;
  private final EventLoop loop;
  private final ArrayDeque<UpstreamListener> waiting = new ArrayDeque<>();
  private Channel connection;
  private boolean connecting;

  Http2ConnectionPool(UpstreamCluster cluster, Endpoint endpoint, EventLoop loop) {
    this.cluster = cluster;
    this.endpoint = endpoint;
    this.loop = loop;
  }

  @Override
  public void acquire(UpstreamListener listener) {
    if (connection != null && connection.isActive()) {
      openStream(connection, listener);
      return;
    }
    waiting.addLast(listener);
    if (!connecting) {
      connect();
    }
  }

  private void connect() {
    connecting = true;
    UpstreamConnector.connect(cluster, endpoint, loop, new ConnectionInitializer())
        .addListener(
            f -> {
              connecting = false;
              if (f.isSuccess()) {
                Channel ch = (Channel) f.getNow();
                connection = ch;
                ch.closeFuture().addListener(c -> forget(ch));
                // The connection itself always reads (settings, pings, frames of every stream);
                // backpressure is per stream, through HTTP/2 flow control.
                ch.config().setAutoRead(true);
              }
              UpstreamListener next;
              while ((next = waiting.pollFirst()) != null) {
                if (f.isSuccess()) {
                  openStream(connection, next);
                } else {
                  next.onUpstreamConnectFailed(f.cause());
                }
              }
            });
  }

  private void forget(Channel ch) {
    if (connection == ch) {
      connection = null;
    }
  }

  private static void openStream(Channel parent, UpstreamListener listener) {
    UpstreamRelay relay = new UpstreamRelay();
    new Http2StreamChannelBootstrap(parent)
        .option(ChannelOption.AUTO_READ, false)
        .handler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), relay);
              }
            })
        .open()
        .addListener(
            f -> {
              if (f.isSuccess()) {
                relay.attach(listener);
                listener.onUpstreamReady(new Stream((Http2StreamChannel) f.getNow()));
              } else {
                listener.onUpstreamConnectFailed(f.cause());
              }
            });
  }

  private final class ConnectionInitializer extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline()
          .addLast(
              Http2FrameCodecBuilder.forClient().build(),
              new Http2MultiplexHandler(new RefusePush()),
              new GoAwayWatcher());
    }
  }

  /** Takes a connection out of service for new streams when the upstream says GOAWAY. */
  private final class GoAwayWatcher extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2GoAwayFrame) {
        forget(ctx.channel());
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Server push is not used; pushed streams are closed (reset) at once. */
  private static final class RefusePush extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.channel().close();
    }
  }

  private static final class Stream implements UpstreamStream {
    private final Http2StreamChannel channel;

    Stream(Http2StreamChannel channel) {
      this.channel = channel;
    }

    @Override
    public boolean isHttp2() {
      return true;
    }

    @Override
    public Channel channel() {
      return channel;
    }

    @Override
    public void switchToTunnel(ChannelHandler relay) {
      throw new UnsupportedOperationException("upgrades need an HTTP/1.1 upstream");
    }

    @Override
    public void prepareRequest(HttpRequest request, boolean bodyless) {
      // DATA frames and END_STREAM frame the body; Host becomes :authority in the codec.
    }

    @Override
    public void writeAndFlush(HttpObject message) {
      channel.writeAndFlush(message, channel.voidPromise());
    }

    @Override
    public void read() {
      channel.read();
    }

    @Override
    public boolean isWritable() {
      return channel.isWritable();
    }

    @Override
    public void release(boolean reusable) {
      channel.close();
    }
  }
}
