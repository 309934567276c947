package dev.outrigger.proxy.admin;

import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.runtime.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin server: HTTP/1.1 on its own single event loop, so that it keeps answering (503 on
 * {@code /ready}) while the data plane drains and after its event loops are gone.
 */
public final class AdminServer implements AutoCloseable {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;

  private AdminServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /** Binds synchronously: an admin port in use fails the start. */
  public static AdminServer start(InetSocketAddress address, AdminControl control, ProxyMetrics metrics)
      throws InterruptedException {
    Transport transport = Transport.best();
    EventLoopGroup group = transport.newGroup(1);
    AdminHandler handler = new AdminHandler(AdminEndpoints.of(control, metrics));
    try {
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(transport.serverChannelClass())
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpServerKeepAliveHandler())
                          .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                          .addLast(handler);
                    }
                  })
              .bind(address)
              .sync()
              .channel();
      return new AdminServer(group, channel);
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
