package dev.outrigger.proxy.http;

import io.netty.buffer.Unpooled;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 stream of a downstream connection, carrying one exchange. The connection reads all the
 * time; each stream channel reads only when its exchange asks, which is what holds back the
 * stream's flow-control window when the upstream is slow.
 */
final class Http2Downstream extends ChannelInboundHandlerAdapter implements Downstream {
  private final ConnectionScope scope;
  private ChannelHandlerContext ctx;
  private Exchange exchange;

  private Http2Downstream(ConnectionScope scope) {
    this.scope = scope;
  }

  static void install(Channel connection, ConnectionScope scope) {
    Http2Settings settings = FlowControlWindows.withStreamWindow(
        Http2Settings.defaultSettings().maxHeaderListSize(scope.config().maxRequestHeadersKb() * 1024L));
    connection
        .pipeline()
        .addLast(
            FlushBatching.handler(),
            Http2FrameCodecBuilder.forServer().initialSettings(settings).build(),
            new Http2MultiplexHandler(
                new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel stream) {
                    stream.config().setAutoRead(false);
                    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new Http2Downstream(scope));
                  }
                }),
            new ConnectionLifecycle(scope.config().idleTimeout()));
    connection.config().setAutoRead(true);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && exchange == null) {
      exchange = new Exchange(scope, this);
      exchange.onRequestHead(request, request instanceof LastHttpContent);
    } else if (msg instanceof HttpContent content && exchange != null) {
      exchange.onRequestContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public Channel channel() {
    return ctx.channel();
  }

  @Override
  public String protocol() {
    return "HTTP/2";
  }

  @Override
  public boolean isHttp2() {
    return true;
  }

  @Override
  public void requestMore() {
    ctx.read();
  }

  @Override
  public boolean isWritable() {
    return ctx.channel().isWritable();
  }

  @Override
  public void prepareResponse(HttpResponse response, boolean bodyAllowed, boolean abandonsRequest) {
    // Frames carry the length and the end of the body.
  }

  @Override
  public ChannelFuture writeAndFlush(HttpObject message) {
    return ctx.writeAndFlush(message);
  }

  @Override
  public void exchangeEnded(ChannelFuture last, boolean reusable) {
    // Closing a stream whose request is still open resets it, which is the answer it deserves.
    last.addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void switchToTunnel(ChannelHandler relay) {
    throw new UnsupportedOperationException("HTTP/2 has no Upgrade");
  }

  @Override
  public void reset() {
    ctx.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (exchange != null && ctx.channel().isWritable()) {
      exchange.onDownstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame && exchange != null) {
      exchange.onDownstreamGone();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.onDownstreamGone();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  /**
   * The connection's life: GOAWAY and close once the open streams have ended, on drain or after the
   * connection sat without streams for the idle timeout. (Closing the channel at once would reset
   * the open streams.)
   */
  private static final class ConnectionLifecycle extends ChannelInboundHandlerAdapter {
    /** The payload of the ping that follows the first GOAWAY. */
    private static final long GOAWAY_PING = 0x6f757472L;
    /**
     * When a client does not answer that ping, the final GOAWAY follows after this long anyway:
     * Envoy's default {@code drain_timeout} between its two GOAWAYs.
     */
    private static final long FINAL_GOAWAY_DELAY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final long idleTimeoutNanos;
    private ChannelHandlerContext ctx;
    private Http2Connection connection;
    private ScheduledFuture<?> idleTimer;
    private boolean closing;
    private boolean finalSent;
    private ScheduledFuture<?> finalGoAwayTimer;

    ConnectionLifecycle(Duration idleTimeout) {
      this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
      connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
      connection.addListener(
          new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
              cancelIdleTimer();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
              if (connection.numActiveStreams() == 0) {
                whenIdle();
              }
            }
          });
      whenIdle();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == HttpConnectionManager.DrainEvent.INSTANCE) {
        goAway();
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == GOAWAY_PING) {
        finalGoAway();
        return;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancelIdleTimer();
      if (finalGoAwayTimer != null) {
        finalGoAwayTimer.cancel(false);
      }
      ctx.fireChannelInactive();
    }

    /** A broken connection (reset by the client, say) just closes; its streams hear of it. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    /**
     * Envoy's graceful GOAWAY: the first names the highest possible stream, so that a request the
     * client sends before it hears of it is still served; one round trip later (the answer to a
     * ping, or at the latest after a fixed delay) the second names the last stream really opened,
     * and the connection closes once its streams have ended.
     */
    private void goAway() {
      if (closing) {
        return;
      }
      closing = true;
      ctx.channel().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
      ctx.channel().writeAndFlush(new DefaultHttp2PingFrame(GOAWAY_PING));
      finalGoAwayTimer = ctx.executor().schedule(this::finalGoAway, FINAL_GOAWAY_DELAY_NANOS, TimeUnit.NANOSECONDS);
    }

    /** The client has heard the first GOAWAY (it answered the ping sent after it), or has had time to. */
    private void finalGoAway() {
      if (!closing || finalSent || !ctx.channel().isActive()) {
        return;
      }
      finalGoAwayTimer.cancel(false);
      ctx.channel().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
      finalSent = true;
      if (connection.numActiveStreams() == 0) {
        closeWhenWritten();
      }
    }

    private void whenIdle() {
      if (finalSent) {
        closeWhenWritten();
      } else if (!closing && idleTimeoutNanos > 0) {
        cancelIdleTimer();
        idleTimer = ctx.executor().schedule(this::goAway, idleTimeoutNanos, TimeUnit.NANOSECONDS);
      }
    }

    /**
     * Closes once every frame written so far has reached the socket. A stream counts as closed as
     * soon as its last frame is written, before it is flushed; closing then would drop the frames
     * of the last response. The empty buffer goes from the head of the pipeline, past the codec,
     * and is written after everything queued before it.
     */
    private void closeWhenWritten() {
      ctx.channel().flush();
      FlushBatching.stop(ctx.pipeline());
      ctx.pipeline().firstContext().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancelIdleTimer() {
      if (idleTimer != null) {
        idleTimer.cancel(false);
        idleTimer = null;
      }
    }
  }
}
