package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 connections to one endpoint from one event loop (prior knowledge for h2c), multiplexing a
 * stream per exchange. A new connection is opened only when every open one is at the peer's
 * concurrent-stream limit and the cluster's {@code max_connections} allows one; requests that
 * arrive while it connects, or while every connection is full, wait for it (pending, bounded by
 * {@code max_pending_requests}, failed with the connection when it fails). After a GOAWAY a
 * connection takes no new streams and ends with its last one. A connection without streams for the
 * cluster's idle timeout is closed, as is one whose last stream ends after the pool was retired.
 */
final class Http2ConnectionPool implements EndpointPool {
  private final UpstreamCluster cluster;
  private final Endpoint endpoint;
  private final EventLoop loop;
  private final long idleTimeoutNanos;
  private final List<Connection> usable = new ArrayList<>(1);
  private final PendingRequests waiting;
  private final ConnectionCount connections;
  private boolean connecting;
  private boolean retired;

  /** {@code onEmpty}: told when the pool's last connection is gone. */
  Http2ConnectionPool(UpstreamCluster cluster, Endpoint endpoint, EventLoop loop, Runnable onEmpty) {
    this.cluster = cluster;
    this.endpoint = endpoint;
    this.loop = loop;
    this.idleTimeoutNanos = cluster.idleTimeout().toNanos();
    this.connections = new ConnectionCount(cluster.breakers(), onEmpty);
    this.waiting = new PendingRequests(cluster.breakers());
  }

  @Override
  public void acquire(UpstreamListener listener) {
    Connection connection = withRoomForAStream();
    if (connection != null) {
      connection.openStream(listener);
      return;
    }
    waiting.add(listener);
    connectIfAllowed();
  }

  @Override
  public void cancel(UpstreamListener listener) {
    waiting.cancel(listener);
  }

  @Override
  public void retire() {
    retired = true;
    for (Connection connection : List.copyOf(usable)) {
      connection.closeIfIdle();
    }
  }

  /** Adopts a connection whose protocol was negotiated elsewhere (ALPN): it must be connected and idle. */
  void adopt(Channel connection, UpstreamListener listener) {
    connection.pipeline().addLast(new ConnectionInitializer());
    connections.tryOpen(); // a new pool's first connection: never refused
    use(connection).openStream(listener);
  }

  private Connection withRoomForAStream() {
    for (Connection connection : usable) {
      if (connection.canOpenStream()) {
        return connection;
      }
    }
    return null;
  }

  /** One connection at a time, and only when requests wait and the cluster's limit allows it. */
  private void connectIfAllowed() {
    if (!connecting && !waiting.isEmpty() && connections.tryOpen()) {
      connect();
    }
  }

  private void connect() {
    connecting = true;
    UpstreamConnector.connect(cluster, endpoint, loop, new ConnectionInitializer())
        .addListener(
            f -> {
              connecting = false;
              if (!f.isSuccess()) {
                waiting.failAll(f.cause());
                connections.closed();
                return;
              }
              Connection connection = use((Channel) f.getNow());
              serveWaiting();
              connection.closeIfIdle();
            });
  }

  private Connection use(Channel channel) {
    Connection connection = new Connection(channel);
    usable.add(connection);
    channel.closeFuture().addListener(c -> connection.closed());
    // The connection itself always reads (settings, pings, frames of every stream); backpressure is
    // per stream, through HTTP/2 flow control.
    channel.config().setAutoRead(true);
    return connection;
  }

  private void serveWaiting() {
    while (!waiting.isEmpty()) {
      Connection connection = withRoomForAStream();
      if (connection == null) {
        connectIfAllowed();
        return;
      }
      connection.openStream(waiting.next());
    }
  }

  /** One upstream connection and the streams this pool has open on it. */
  private final class Connection {
    private final Channel channel;
    private final Http2Connection.Endpoint<?> local;
    private int streams;
    private ScheduledFuture<?> idleTimer;

    Connection(Channel channel) {
      this.channel = channel;
      this.local = channel.pipeline().get(Http2FrameCodec.class).connection().local();
    }

    boolean canOpenStream() {
      return local.canOpenStream();
    }

    void openStream(UpstreamListener listener) {
      streamStarted();
      UpstreamRelay relay = new UpstreamRelay();
      new Http2StreamChannelBootstrap(channel)
          .option(ChannelOption.AUTO_READ, false)
          .handler(
              new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel ch) {
                  ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), relay);
                }
              })
          .open()
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                  stream.closeFuture().addListener(c -> streamEnded());
                  relay.attach(listener);
                  listener.onUpstreamReady(new Stream(stream));
                } else {
                  streamEnded();
                  listener.onUpstreamConnectFailed(f.cause());
                }
              });
    }

    private void streamStarted() {
      streams++;
      stopIdleTimer();
    }

    private void streamEnded() {
      streams--;
      serveWaiting();
      closeIfIdle();
    }

    /** With no stream left: closed now when the pool is retired, else after the idle timeout. */
    void closeIfIdle() {
      if (streams > 0 || !channel.isActive()) {
        return;
      }
      if (retired) {
        channel.close();
      } else if (idleTimer == null) {
        idleTimer = loop.schedule(this::expire, idleTimeoutNanos, TimeUnit.NANOSECONDS);
      }
    }

    private void expire() {
      idleTimer = null;
      channel.close();
    }

    void closed() {
      usable.remove(this);
      stopIdleTimer();
      connections.closed();
      serveWaiting();
    }

    private void stopIdleTimer() {
      if (idleTimer != null) {
        idleTimer.cancel(false);
        idleTimer = null;
      }
    }
  }

  /** The HTTP/2 codec and its companions, added when the connection is made (or adopted). */
  private final class ConnectionInitializer extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline()
          .addLast(
              FlushBatching.handler(),
              Http2FrameCodecBuilder.forClient()
                  .initialSettings(FlowControlWindows.withStreamWindow(Http2Settings.defaultSettings().pushEnabled(false)))
                  .build(),
              new Http2MultiplexHandler(new RefusePush()),
              new GoAwayWatcher());
    }
  }

  /** Takes a connection out of service for new streams when the upstream says GOAWAY. */
  private final class GoAwayWatcher extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2GoAwayFrame) {
        usable.removeIf(connection -> connection.channel == ctx.channel());
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Server push is turned off in SETTINGS; a peer that pushes anyway has its streams reset at once. */
  @ChannelHandler.Sharable
  private static final class RefusePush extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.channel().close();
    }
  }

  private static final class Stream implements UpstreamStream {
    private final Http2StreamChannel channel;

    Stream(Http2StreamChannel channel) {
      this.channel = channel;
    }

    @Override
    public boolean isHttp2() {
      return true;
    }

    @Override
    public Channel channel() {
      return channel;
    }

    @Override
    public void switchToTunnel(ChannelHandler relay) {
      throw new UnsupportedOperationException("upgrades need an HTTP/1.1 upstream");
    }

    @Override
    public void prepareRequest(HttpRequest request, boolean bodyless) {
      // DATA frames and END_STREAM frame the body; Host becomes :authority in the codec.
    }

    @Override
    public void release(boolean reusable) {
      channel.close();
    }
  }
}
