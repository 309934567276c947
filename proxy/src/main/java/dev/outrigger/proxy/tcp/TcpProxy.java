package dev.outrigger.proxy.tcp;

import dev.outrigger.proxy.authz.PeerIdentity;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.runtime.ConnectionContext;
import dev.outrigger.proxy.runtime.NetworkFilterInstaller;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@code envoy.filters.network.tcp_proxy}: per connection, picks a cluster (by weight) and an
 * endpoint, connects on the downstream channel's event loop and relays bytes both ways until
 * either side closes or nothing moves for the idle timeout. Each connection is one
 * {@link StreamInfo}, started at accept and completed when the downstream connection closes.
 */
public final class TcpProxy implements NetworkFilterInstaller {
  static final String IDLE_TIMEOUT = "idle_timeout";

  private final TcpProxyConfig config;
  private final Supplier<RandomGenerator> random;

  public TcpProxy(TcpProxyConfig config) {
    this(config, ThreadLocalRandom::current);
  }

  TcpProxy(TcpProxyConfig config, Supplier<RandomGenerator> random) {
    this.config = config;
    this.random = random;
  }

  @Override
  public void install(Channel downstream, ConnectionContext context) {
    StreamInfo session =
        new StreamInfo(
            System.currentTimeMillis(), System.nanoTime(), context.listener().name(), context.remoteAddress());
    session.peerIdentity(PeerIdentity.of(context.peerCertificate()).spiffeId());
    context.streamListener().onStart(session);
    downstream
        .closeFuture()
        .addListener(
            closed -> {
              session.end(System.nanoTime());
              context.streamListener().onComplete(session);
            });

    String clusterName = config.clusters().pick(random.get().nextInt(config.clusters().totalWeight()));
    UpstreamCluster cluster = context.clusters().cluster(clusterName);
    if (cluster == null) {
      endNow(downstream, session, ResponseFlag.NC);
      return;
    }
    session.upstreamCluster(clusterName);
    // No hash policy here: hash balancers get a random hash, as Envoy's TCP proxy without one.
    Endpoint endpoint = cluster.pick(ThreadLocalRandom.current().nextLong());
    if (endpoint == null) {
      endNow(downstream, session, ResponseFlag.UH);
      return;
    }
    session.upstreamHost(endpoint.toString());
    endpoint.requestStarted();

    Relay fromUpstream = new Relay(downstream, downstream.newSucceededFuture(), session::addBytesSent);
    ChannelFuture connecting = cluster.connect(downstream.eventLoop(), endpoint, fromUpstream);
    Channel upstream = connecting.channel();
    upstream.closeFuture().addListener(closed -> endpoint.requestEnded());
    Relay fromDownstream = new Relay(upstream, connecting, session::addBytesReceived);
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
                  endpoint.outcomes().connectedFinal();
                  fromDownstream.start(downstream);
                  fromUpstream.start(upstream);
                });
          } else {
            endpoint.outcomes().localOriginFailure();
            endNow(downstream, session, ResponseFlag.UF);
          }
        });
  }

  /** TCP connected, and the TLS handshake done when the cluster has TLS. */
  private static void whenUpstreamReady(Channel upstream, StreamInfo session, Runnable start) {
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
                session.addResponseFlag(ResponseFlag.UF);
                upstream.close();
              }
            });
  }

  private static void endNow(Channel downstream, StreamInfo session, ResponseFlag reason) {
    session.addResponseFlag(reason);
    downstream.close();
  }

  /** Turns the idle timer's event into the end of the session. */
  private static final class SessionEnd extends ChannelInboundHandlerAdapter {
    private final StreamInfo session;

    SessionEnd(StreamInfo session) {
      this.session = session;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        session.terminationDetails(IDLE_TIMEOUT);
        ctx.close();
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }
  }
}
