package dev.outrigger.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * After a WebSocket upgrade was accepted (101), the two connections carry opaque bytes: each side
 * relays what it reads to the other, reading on only while the other can take it. When either side
 * closes, the other is closed after its pending bytes; the listener hears once, when both are gone.
 */
final class WebSocketTunnel {
  private final Listener listener;
  private long bytesUp;
  private long bytesDown;
  private int open = 2;

  /** Told the byte counts when the tunnel is closed on both sides. */
  interface Listener {
    void onTunnelClosed(long bytesFromDownstream, long bytesToDownstream);
  }

  private WebSocketTunnel(Listener listener) {
    this.listener = listener;
  }

  /** Takes both connections out of HTTP (the 101 must have been written) and joins them. */
  static void open(Downstream downstream, UpstreamStream upstream, Listener listener) {
    WebSocketTunnel tunnel = new WebSocketTunnel(listener);
    Channel client = downstream.channel();
    Channel server = upstream.channel();
    downstream.switchToTunnel(tunnel.new Relay(server, true));
    upstream.switchToTunnel(tunnel.new Relay(client, false));
    client.read();
    server.read();
  }

  private final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final boolean fromDownstream;

    Relay(Channel peer, boolean fromDownstream) {
      this.peer = peer;
      this.fromDownstream = fromDownstream;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf bytes)) {
        // The end of the 101 response, still in flight from the HTTP decoder that was removed.
        ReferenceCountUtil.release(msg);
        return;
      }
      if (fromDownstream) {
        bytesUp += bytes.readableBytes();
      } else {
        bytesDown += bytes.readableBytes();
      }
      peer.writeAndFlush(bytes, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (peer.isWritable()) {
        ctx.read();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        peer.read();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (peer.isActive()) {
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
      if (--open == 0) {
        listener.onTunnelClosed(bytesUp, bytesDown);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
