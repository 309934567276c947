package dev.outrigger.proxy.listener;

import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test network filter: tells the client which chain took it (one line), then echoes every byte,
 * so a test also sees that the inspectors consumed nothing.
 */
final class ChainReporter implements NetworkFilterInstaller {
  final BlockingQueue<ConnectionContext> contexts = new LinkedBlockingQueue<>();
  final BlockingQueue<Channel> channels = new LinkedBlockingQueue<>();

  static String line(ConnectionContext context) {
    return "chain=" + context.filterChain().name()
        + " tls=" + context.tls()
        + " sni=" + context.serverName().orElse("-")
        + " alpn=" + context.applicationProtocol().orElse("-");
  }

  @Override
  public void install(Channel downstream, ConnectionContext context) {
    contexts.add(context);
    channels.add(downstream);
    downstream.writeAndFlush(Unpooled.copiedBuffer(line(context) + "\n", StandardCharsets.US_ASCII));
    downstream.pipeline().addLast(new Echo());
    downstream.read();
  }

  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
      ctx.read();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
