package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;

/**
 * The upstream protocol chosen by ALPN ({@code auto_config}): the first connection's TLS handshake
 * says whether the endpoint speaks h2, and from then on this is an HTTP/2 or an HTTP/1.1 pool, which
 * adopts that first connection. Without TLS there is nothing to negotiate: HTTP/1.1.
 */
final class AlpnConnectionPool implements EndpointPool {
  private final UpstreamCluster cluster;
  private final Endpoint endpoint;
  private final EventLoop loop;
  private final ArrayDeque<UpstreamListener> waiting = new ArrayDeque<>();
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
  }

  @Override
  public void acquire(UpstreamListener listener) {
    if (negotiated != null) {
      negotiated.acquire(listener);
      return;
    }
    waiting.addLast(listener);
    if (!connecting) {
      connect();
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
                UpstreamListener next;
                while ((next = waiting.pollFirst()) != null) {
                  next.onUpstreamConnectFailed(f.cause());
                }
                onEmpty.run();
                return;
              }
              adoptFirst((Channel) f.getNow());
              UpstreamListener next;
              while ((next = waiting.pollFirst()) != null) {
                negotiated.acquire(next);
              }
              if (retired) {
                negotiated.retire();
              }
            });
  }

  private void adoptFirst(Channel connection) {
    SslHandler tls = connection.pipeline().get(SslHandler.class);
    if (tls != null && ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
      Http2ConnectionPool http2 = new Http2ConnectionPool(cluster, endpoint, loop, onEmpty);
      negotiated = http2;
      http2.adopt(connection, waiting.pollFirst());
    } else {
      Http1ConnectionPool http1 = new Http1ConnectionPool(cluster, endpoint, loop, onEmpty);
      negotiated = http1;
      http1.adopt(connection, waiting.pollFirst());
    }
  }

  /** The protocol handlers wait for the handshake's verdict. */
  private static final class NothingYet extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {}
  }
}
