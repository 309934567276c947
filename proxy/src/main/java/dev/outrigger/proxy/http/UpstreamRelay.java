package dev.outrigger.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream channel (HTTP/1.1 connection or HTTP/2 stream): hands response objects
 * and channel events to the exchange currently attached. A message arriving while nothing is attached
 * (an idle pooled connection) is a protocol error: the connection closes.
 */
final class UpstreamRelay extends ChannelInboundHandlerAdapter {
  private UpstreamListener listener;
  private UpstreamListener.UpstreamGone how = UpstreamListener.UpstreamGone.CLOSED;

  void attach(UpstreamListener listener) {
    this.listener = listener;
  }

  void detach() {
    this.listener = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (listener != null && msg instanceof io.netty.handler.codec.http.HttpObject http) {
      listener.onUpstreamMessage(http);
      return;
    }
    ReferenceCountUtil.release(msg);
    ctx.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (listener != null && ctx.channel().isWritable()) {
      listener.onUpstreamWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame) {
      how = ((Http2ResetFrame) evt).errorCode() == Http2Error.REFUSED_STREAM.code()
          ? UpstreamListener.UpstreamGone.REFUSED
          : UpstreamListener.UpstreamGone.RESET;
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    UpstreamListener gone = listener;
    listener = null;
    if (gone != null) {
      gone.onUpstreamGone(how);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
