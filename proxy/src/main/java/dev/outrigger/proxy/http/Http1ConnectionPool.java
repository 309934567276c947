package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 keep-alive connections to one endpoint, owned by one event loop (no locks): a connection
 * serves one exchange at a time and returns here when it ended cleanly, to the longest waiting
 * request if any, else to be closed if no exchange takes it within the cluster's idle timeout, or
 * at once when the pool is retired. When the cluster's {@code max_connections} allows no new
 * connection, a request waits (pending) for one to come free or to close.
 */
final class Http1ConnectionPool implements EndpointPool {
  private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

  private final UpstreamCluster cluster;
  private final Endpoint endpoint;
  private final EventLoop loop;
  private final long idleTimeoutNanos;
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final ConnectionCount connections;
  private final PendingRequests pending;
  private boolean retired;

  /** {@code onEmpty}: told when the pool's last connection is gone. */
  Http1ConnectionPool(UpstreamCluster cluster, Endpoint endpoint, EventLoop loop, Runnable onEmpty) {
    this.cluster = cluster;
    this.endpoint = endpoint;
    this.loop = loop;
    this.idleTimeoutNanos = cluster.idleTimeout().toNanos();
    this.connections = new ConnectionCount(cluster.breakers(), onEmpty);
    this.pending = new PendingRequests(cluster.breakers());
  }

  @Override
  public void acquire(UpstreamListener listener) {
    Connection reused;
    while ((reused = idle.pollLast()) != null) {
      if (reused.channel.isActive()) {
        reused.lendTo(listener);
        return;
      }
    }
    if (connections.tryOpen()) {
      open(listener);
    } else {
      pending.add(listener);
    }
  }

  @Override
  public void cancel(UpstreamListener listener) {
    pending.cancel(listener);
  }

  /** Opens a connection, already counted, for {@code listener}. */
  private void open(UpstreamListener listener) {
    UpstreamRelay relay = new UpstreamRelay();
    UpstreamConnector.connect(cluster, endpoint, loop, initializer(relay))
        .addListener(
            f -> {
              if (f.isSuccess()) {
                new Connection((Channel) f.getNow(), relay).lendTo(listener);
              } else {
                connections.closed();
                listener.onUpstreamConnectFailed(f.cause());
                openForWaiting();
              }
            });
  }

  /** A connection went: the longest waiting requests get new ones, as far as the limit allows. */
  private void openForWaiting() {
    while (!pending.isEmpty() && connections.tryOpen()) {
      open(pending.next());
    }
  }

  @Override
  public void retire() {
    retired = true;
    Connection unused;
    while ((unused = idle.pollFirst()) != null) {
      unused.channel.close();
    }
  }

  /** Adopts a connection whose protocol was negotiated elsewhere (ALPN): it must be connected and idle. */
  void adopt(Channel connection, UpstreamListener listener) {
    UpstreamRelay relay = new UpstreamRelay();
    connections.tryOpen(); // a new pool's first connection: never refused
    connection.pipeline().addLast(initializer(relay));
    new Connection(connection, relay).lendTo(listener);
  }

  private static ChannelInitializer<Channel> initializer(UpstreamRelay relay) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES);
        ch.pipeline().addLast(FlushBatching.handler(), new HttpClientCodec(decoder, false, false), relay);
      }
    };
  }

  private final class Connection implements UpstreamStream {
    private final Channel channel;
    private final UpstreamRelay relay;
    private ScheduledFuture<?> idleTimer;

    Connection(Channel channel, UpstreamRelay relay) {
      this.channel = channel;
      this.relay = relay;
      channel.closeFuture()
          .addListener(
              f -> {
                idle.remove(this);
                stopIdleTimer();
                connections.closed();
                openForWaiting();
              });
    }

    void lendTo(UpstreamListener listener) {
      stopIdleTimer();
      relay.attach(listener);
      listener.onUpstreamReady(this);
    }

    @Override
    public boolean isHttp2() {
      return false;
    }

    @Override
    public Channel channel() {
      return channel;
    }

    @Override
    public void switchToTunnel(ChannelHandler tunnel) {
      relay.detach();
      channel.pipeline().replace(relay, null, tunnel);
      channel.pipeline().remove(HttpClientCodec.class);
    }

    @Override
    public void prepareRequest(HttpRequest request, boolean bodyless) {
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
      if (!bodyless && !HttpUtil.isContentLengthSet(request)) {
        request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    }

    @Override
    public void release(boolean reusable) {
      relay.detach();
      if (reusable && channel.isActive() && !retired) {
        UpstreamListener next = pending.next();
        if (next != null) {
          lendTo(next);
          return;
        }
        idle.addLast(this);
        idleTimer = loop.schedule(this::expire, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        // Keep reading while idle so that a close by the upstream is seen and the connection dropped.
        channel.read();
      } else {
        channel.close();
      }
    }

    private void expire() {
      idleTimer = null;
      channel.close();
    }

    private void stopIdleTimer() {
      if (idleTimer != null) {
        idleTimer.cancel(false);
        idleTimer = null;
      }
    }
  }
}
