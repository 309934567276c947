package dev.outrigger.proxy.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves bytes from its channel to the peer channel, one direction of a TCP proxy session (each side
 * has one). Read buffers are written on as they are: ownership passes to the peer's write, nothing
 * is copied. Backpressure: this side is read only while the peer is writable; when the peer turns
 * writable again, the peer's relay reads this side. A FIN is forwarded as a shutdown of the peer's
 * output once what was read before it is written; a channel shut both ways ends the session.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final Channel peer;
  private final ChannelFuture peerReady;
  private final LongConsumer bytesRead;

  /**
   * @param peerReady completes when the peer can take writes; before that, writes queue in the
   *     peer's outbound buffer unflushed (Netty fails a flush, not a write, on a channel still
   *     connecting)
   */
  Relay(Channel peer, ChannelFuture peerReady, LongConsumer bytesRead) {
    this.peer = peer;
    this.peerReady = peerReady;
    this.bytesRead = bytesRead;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    if (ctx.channel().isActive()) {
      EpollInterestPin.pin(ctx.channel());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // Only once connected: an unconnected socket in the epoll set would report EPOLLHUP.
    EpollInterestPin.pin(ctx.channel());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      bytesRead.accept(((ByteBuf) msg).readableBytes());
    }
    peer.write(msg, peer.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (peerReady.isSuccess()) {
      peer.flush();
      readIfPeerWritable(ctx.channel());
    }
  }

  /** Called once the peer is connected, to start the flow in this direction. */
  void start(Channel self) {
    peer.flush();
    readIfPeerWritable(self);
  }

  private void readIfPeerWritable(Channel self) {
    if (peer.isWritable()) {
      self.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // This channel is the peer's output: its draining lets the peer's side be read again.
    if (ctx.channel().isWritable() && peerReady.isSuccess()) {
      peer.read();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      forwardFin(ctx.channel());
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void forwardFin(Channel self) {
    peerReady.addListener(
        ready -> {
          if (!ready.isSuccess() || !peer.isActive()) {
            return;
          }
          // The empty write completes after every earlier write, so the FIN follows the data.
          peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
              .addListener(written -> ((DuplexChannel) peer).shutdownOutput().addListener(shut -> closeIfDone(peer)));
          closeIfDone(self);
        });
  }

  /** A channel whose input and output are both shut has nothing left to carry; nor has its peer. */
  private void closeIfDone(Channel channel) {
    DuplexChannel duplex = (DuplexChannel) channel;
    if (duplex.isInputShutdown() && duplex.isOutputShutdown()) {
      channel.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      peer.close();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("tcp proxy {}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
