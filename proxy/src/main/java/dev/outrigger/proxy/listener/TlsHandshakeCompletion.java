package dev.outrigger.proxy.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.function.Consumer;

/**
 * Waits behind the {@code SslHandler} for the handshake; on success removes itself and runs
 * {@code onSuccess} (which installs the network filter), on failure closes the connection.
 */
final class TlsHandshakeCompletion extends ChannelInboundHandlerAdapter {
  private final Runnable onSuccess;
  private final Consumer<Boolean> onResult;
  private final Consumer<Throwable> onFailure;

  TlsHandshakeCompletion(Runnable onSuccess, Consumer<Boolean> onResult, Consumer<Throwable> onFailure) {
    this.onSuccess = onSuccess;
    this.onResult = onResult;
    this.onFailure = onFailure;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof SslHandshakeCompletionEvent)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    SslHandshakeCompletionEvent handshake = (SslHandshakeCompletionEvent) evt;
    onResult.accept(handshake.isSuccess());
    if (handshake.isSuccess()) {
      onSuccess.run();
      ctx.pipeline().remove(this);
      ctx.fireUserEventTriggered(evt);
    } else {
      onFailure.accept(handshake.cause());
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Handshake failures arrive here too (already counted by the completion event): close quietly.
    ctx.close();
  }
}
