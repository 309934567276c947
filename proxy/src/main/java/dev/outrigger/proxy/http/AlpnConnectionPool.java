package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;

/**
 * The upstream protocol chosen by ALPN ({@code auto_config}): the first connection's TLS handshake
 * says whether the endpoint speaks h2, and from then on this is an HTTP/2 or an HTTP/1.1 pool, which
 * adopts that first connection. Without TLS there is nothing to negotiate: HTTP/1.1. Requests that
 * arrive before the verdict are pending (bounded by {@code max_pending_requests}).
 */
final class AlpnConnectionPool implements EndpointPool {
  private final UpstreamCluster cluster;
  private final Endpoint endpoint;
  private final EventLoop loop;
  private final PendingRequests waiting;
  private final Runnable onEmpty;
  private EndpointPool negotiated;
  private boolean connecting;
  private boolean retired;

  /** {@code onEmpty}: told when the first connection fails, or later when the negotiated pool empties. */
  AlpnConnectionPool(UpstreamCluster cluster, Endpoint endpoint, EventLoop loop, Runnable onEmpty) {
    this.cluster = cluster;
    this.endpoint = endpoint;
    this.loop = loop;
    this.onEmpty = onEmpty;
    this.waiting = new PendingRequests(cluster.breakers());
  }

  @Override
  public void acquire(UpstreamListener listener) {
    if (negotiated != null) {
      negotiated.acquire(listener);
      return;
    }
    waiting.add(listener);
    if (!connecting && !waiting.isEmpty()) {
      connect();
    }
  }

  @Override
  public void cancel(UpstreamListener listener) {
    if (negotiated != null) {
      negotiated.cancel(listener);
    } else {
      waiting.cancel(listener);
    }
  }

  @Override
  public void retire() {
    retired = true;
    if (negotiated != null) {
      negotiated.retire();
    }
  }

  private void connect() {
    connecting = true;
    UpstreamConnector.connect(cluster, endpoint, loop, new NothingYet())
        .addListener(
            f -> {
              connecting = false;
              if (!f.isSuccess()) {
                waiting.failAll(f.cause());
                onEmpty.run();
                return;
              }
              UpstreamListener first = waiting.next();
              if (first == null) {
                // Everyone who waited gave up: nothing to adopt the connection for.
                ((Channel) f.getNow()).close();
                onEmpty.run();
                return;
              }
              adoptFirst((Channel) f.getNow(), first);
              UpstreamListener next;
              while ((next = waiting.next()) != null) {
                negotiated.acquire(next);
              }
              if (retired) {
                negotiated.retire();
              }
            });
  }

  private void adoptFirst(Channel connection, UpstreamListener first) {
    SslHandler tls = connection.pipeline().get(SslHandler.class);
    if (tls != null && ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
      Http2ConnectionPool http2 = new Http2ConnectionPool(cluster, endpoint, loop, onEmpty);
      negotiated = http2;
      http2.adopt(connection, first);
    } else {
      Http1ConnectionPool http1 = new Http1ConnectionPool(cluster, endpoint, loop, onEmpty);
      negotiated = http1;
      http1.adopt(connection, first);
    }
  }

  /** The protocol handlers wait for the handshake's verdict. */
  private static final class NothingYet extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {}
  }
}
