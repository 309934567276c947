package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.config.ListenerConfig.Inspector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The listener filters {@code tls_inspector} and {@code http_inspector}: reads the first bytes
 * without consuming them until every configured inspector has decided, {@link #MAX_PEEK_BYTES} are
 * seen, or the inspection timeout fires (then it decides on what is known). It then hands the
 * finding to {@code onDetected}, which sets up the rest of the pipeline, removes itself and replays
 * the peeked bytes into it.
 *
 * <p>Ownership: peeked buffers are held in one composite, which is either passed on by the replay
 * or released when the channel goes away first.
 */
final class ProtocolInspector extends ChannelInboundHandlerAdapter {
  static final int MAX_PEEK_BYTES = TlsPeek.MAX_CLIENT_HELLO_BYTES + 64;

  private final boolean inspectTls;
  private final boolean inspectHttp;
  private final Duration timeout;
  private final BiConsumer<ChannelHandlerContext, Detected> onDetected;
  private CompositeByteBuf peeked;
  private ScheduledFuture<?> deadline;

  ProtocolInspector(
      List<Inspector> inspectors,
      Duration timeout,
      BiConsumer<ChannelHandlerContext, Detected> onDetected) {
    this.inspectTls = inspectors.contains(Inspector.TLS);
    this.inspectHttp = inspectors.contains(Inspector.HTTP);
    this.timeout = timeout;
    this.onDetected = onDetected;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    peeked = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!timeout.isZero()) { // zero disables the timeout, as in Envoy
      deadline =
          ctx.executor().schedule(() -> finish(ctx, true), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    peeked.addComponent(true, (ByteBuf) msg);
    if (!finish(ctx, peeked.readableBytes() >= MAX_PEEK_BYTES)) {
      ctx.read();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset before the first bytes decide anything: nothing to hand over.
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadline();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelDeadline();
    if (peeked != null) {
      peeked.release();
      peeked = null;
    }
  }

  /** Decides if it can ({@code force}: must); returns whether it did. */
  private boolean finish(ChannelHandlerContext ctx, boolean force) {
    if (peeked == null || !ctx.channel().isActive()) {
      return true;
    }
    Detected detected = detect(force);
    if (detected == null) {
      return false;
    }
    cancelDeadline();
    ByteBuf replay = peeked;
    peeked = null;
    onDetected.accept(ctx, detected);
    ctx.pipeline().remove(this);
    if (replay.isReadable() && ctx.channel().isActive()) {
      ctx.fireChannelRead(replay);
      ctx.fireChannelReadComplete();
    } else {
      replay.release();
    }
    return true;
  }

  /** Null while an inspector still needs bytes and {@code force} is false. */
  private Detected detect(boolean force) {
    if (inspectTls) {
      TlsPeek hello = TlsPeek.of(peeked);
      if (hello.status() == TlsPeek.Status.TLS) {
        return Detected.tls(hello);
      }
      if (hello.status() == TlsPeek.Status.NEED_MORE && !force) {
        return null;
      }
    }
    if (inspectHttp) {
      HttpPeek http = HttpPeek.of(peeked, MAX_PEEK_BYTES);
      if (http.needMore() && !force) {
        return null;
      }
      return Detected.raw(http);
    }
    return Detected.NOTHING;
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
