package dev.outrigger.proxy.tcp;

import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@code envoy.filters.network.tcp_proxy}: per connection, picks a cluster (by weight) and an
 * endpoint, connects on the downstream channel's event loop and relays bytes both ways until
 * either side closes or nothing moves for the idle timeout. Each session is reported to the
 * {@link TcpSessionObserver} when its downstream connection closes.
 */
public final class TcpProxy {
  private final TcpSessionObserver observer;
  private final Clock clock;
  private final Supplier<RandomGenerator> random;

  public TcpProxy(TcpSessionObserver observer) {
    this(observer, Clock.systemUTC(), ThreadLocalRandom::current);
  }

  TcpProxy(TcpSessionObserver observer, Clock clock, Supplier<RandomGenerator> random) {
    this.observer = observer;
    this.clock = clock;
    this.random = random;
  }

  /** A {@link dev.outrigger.proxy.runtime.NetworkFilterInstaller} step for a tcp_proxy chain. */
  public void install(Channel downstream, TcpProxyConfig config, ConnectionContext context) {
    SessionRecorder session = new SessionRecorder(config, clock, context.remoteAddress());
    downstream.closeFuture().addListener(closed -> observer.sessionEnded(session.toSession()));

    String clusterName = config.clusters().pick(random.get().nextInt(config.clusters().totalWeight()));
    UpstreamCluster cluster = context.clusters().cluster(clusterName);
    if (cluster == null) {
      endNow(downstream, session, TcpSession.End.NO_CLUSTER);
      return;
    }
    session.cluster(clusterName);
    Endpoint endpoint = cluster.pick();
    if (endpoint == null) {
      endNow(downstream, session, TcpSession.End.NO_HEALTHY_UPSTREAM);
      return;
    }
    session.upstreamHost(endpoint.toString());
    endpoint.requestStarted();

    Relay fromUpstream = new Relay(downstream, downstream.newSucceededFuture(), session::sent);
    ChannelFuture connecting = cluster.connect(downstream.eventLoop(), endpoint, fromUpstream);
    Channel upstream = connecting.channel();
    upstream.closeFuture().addListener(closed -> endpoint.requestEnded());
    Relay fromDownstream = new Relay(upstream, connecting, session::received);
    if (!config.idleTimeout().isZero()) {
      downstream.pipeline().addLast(new IdleStateHandler(0, 0, config.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
    }
    downstream.pipeline().addLast(new SessionEnd(session), fromDownstream);
    connecting.addListener(
        connected -> {
          if (connected.isSuccess()) {
            whenUpstreamReady(
                upstream,
                session,
                () -> {
                  fromDownstream.start(downstream);
                  fromUpstream.start(upstream);
                });
          } else {
            endNow(downstream, session, TcpSession.End.CONNECT_FAILED);
          }
        });
  }

  /** TCP connected, and the TLS handshake done when the cluster has TLS. */
  private static void whenUpstreamReady(Channel upstream, SessionRecorder session, Runnable start) {
    SslHandler ssl = upstream.pipeline().get(SslHandler.class);
    if (ssl == null) {
      start.run();
      return;
    }
    ssl.handshakeFuture()
        .addListener(
            handshake -> {
              if (handshake.isSuccess()) {
                start.run();
              } else {
                session.endedBy(TcpSession.End.CONNECT_FAILED);
                upstream.close();
              }
            });
  }

  private static void endNow(Channel downstream, SessionRecorder session, TcpSession.End reason) {
    session.endedBy(reason);
    downstream.close();
  }

  /** Turns the idle timer's event into the end of the session. */
  private static final class SessionEnd extends ChannelInboundHandlerAdapter {
    private final SessionRecorder session;

    SessionEnd(SessionRecorder session) {
      this.session = session;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        session.endedBy(TcpSession.End.IDLE_TIMEOUT);
        ctx.close();
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }
  }
}
