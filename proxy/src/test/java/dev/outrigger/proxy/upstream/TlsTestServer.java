package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.tls.SslContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.ExtendedSSLSession;

/** A TLS upstream for tests: terminates TLS with the given config and records the SNI it was sent. */
final class TlsTestServer implements AutoCloseable {
  final BlockingQueue<String> serverNames = new LinkedBlockingQueue<>();
  private final SslContext ssl;
  private final Channel channel;

  TlsTestServer(DownstreamTlsConfig config, EventLoopGroup group, Transport transport) throws Exception {
    this.ssl = SslContexts.forServer(config);
    this.channel =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelClass())
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    SslHandler handler = ssl.newHandler(ch.alloc());
                    ch.pipeline().addLast(handler, new SniRecorder(handler));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    io.netty.util.ReferenceCountUtil.release(ssl);
  }

  private final class SniRecorder extends ChannelInboundHandlerAdapter {
    private final SslHandler handler;

    SniRecorder(SslHandler handler) {
      this.handler = handler;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent && ((SslHandshakeCompletionEvent) evt).isSuccess()) {
        ExtendedSSLSession session = (ExtendedSSLSession) handler.engine().getSession();
        serverNames.add(
            session.getRequestedServerNames().isEmpty()
                ? "-"
                : new String(session.getRequestedServerNames().get(0).getEncoded()));
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
