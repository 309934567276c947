package dev.outrigger.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 downstream connection: one exchange at a time. The flow-control handler before it
 * hands over one decoded object per read, and the next request is not read before the current
 * response is done, so pipelined requests are answered in order and never buffered here.
 */
final class Http1Downstream extends ChannelInboundHandlerAdapter implements Downstream {
  private final ConnectionScope scope;
  private ChannelHandlerContext ctx;
  private Exchange current;
  private boolean keepAlive = true;
  private boolean http10;
  private boolean draining;
  private ScheduledFuture<?> idleTimer;
  /** A read was asked for and nothing came yet; the flow-control handler forgets it at read-complete. */
  private boolean readWanted;

  private Http1Downstream(ConnectionScope scope) {
    this.scope = scope;
  }

  static void install(Channel channel, ConnectionScope scope) {
    channel
        .pipeline()
        .addLast(
            FlushBatching.handler(),
            new StrictRequestDecoder(scope.config().maxRequestHeadersKb() * 1024),
            new HttpResponseEncoder(),
            new FlowControlHandler(),
            new Http1Downstream(scope));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    waitForRequest();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readWanted = false;
    if (msg instanceof HttpRequest request) {
      startExchange(request);
    } else if (msg instanceof HttpContent content && current != null) {
      current.onRequestContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startExchange(HttpRequest request) {
    cancelIdleTimer();
    http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    current = new Exchange(scope, this);
    keepAlive = HttpUtil.isKeepAlive(request) && !draining;
    RequestTarget.toOriginForm(request);
    LocalReply refusal = RequestValidator.violation(request);
    if (refusal != null) {
      keepAlive = false;
      current.rejectMalformed(request, refusal);
      return;
    }
    boolean bodyless = !HttpUtil.isTransferEncodingChunked(request) && !HttpUtil.isContentLengthSet(request);
    current.onRequestHead(request, bodyless);
  }

  @Override
  public Channel channel() {
    return ctx.channel();
  }

  @Override
  public String protocol() {
    return http10 ? "HTTP/1.0" : "HTTP/1.1";
  }

  @Override
  public boolean isHttp2() {
    return false;
  }

  @Override
  public void requestMore() {
    readWanted = true;
    ctx.read();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (readWanted) {
      ctx.read();
    }
  }

  @Override
  public boolean isWritable() {
    return ctx.channel().isWritable();
  }

  @Override
  public void prepareResponse(HttpResponse response, boolean bodyAllowed, boolean abandonsRequest) {
    keepAlive &= !abandonsRequest;
    if (bodyAllowed && !HttpUtil.isContentLengthSet(response)) {
      if (response instanceof LastHttpContent whole) {
        HttpUtil.setContentLength(response, whole.content().readableBytes());
      } else if (http10) {
        keepAlive = false; // an HTTP/1.0 client reads a body of unknown length until the close
      } else {
        HttpUtil.setTransferEncodingChunked(response, true);
      }
    }
    if (!keepAlive || draining) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  @Override
  public ChannelFuture writeAndFlush(HttpObject message) {
    return ctx.writeAndFlush(message);
  }

  @Override
  public void exchangeEnded(ChannelFuture last, boolean reusable) {
    current = null;
    if (!reusable || !keepAlive || draining) {
      last.addListener(ChannelFutureListener.CLOSE);
    } else {
      waitForRequest();
    }
  }

  @Override
  public void switchToTunnel(ChannelHandler relay) {
    cancelIdleTimer();
    current = null;
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.replace(this, null, relay);
    pipeline.remove(FlowControlHandler.class);
    pipeline.remove(HttpResponseEncoder.class);
    pipeline.remove(StrictRequestDecoder.class);
  }

  @Override
  public void reset() {
    ctx.close();
  }

  private void waitForRequest() {
    long idle = scope.config().idleTimeout().toNanos();
    if (idle > 0) {
      idleTimer = ctx.executor().schedule(() -> ctx.close(), idle, TimeUnit.NANOSECONDS);
    }
    requestMore();
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null && ctx.channel().isWritable()) {
      current.onDownstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == HttpConnectionManager.DrainEvent.INSTANCE) {
      draining = true;
      if (current == null) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelIdleTimer();
    if (current != null) {
      Exchange gone = current;
      current = null;
      gone.onDownstreamGone();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
