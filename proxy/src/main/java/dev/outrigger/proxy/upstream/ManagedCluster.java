package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.upstream.health.ClusterHealth;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A cluster at run time. Its endpoint set and the balancer built over it are one immutable
 * {@link Membership}, replaced as a whole when discovery reports a new set or an endpoint's health
 * changes, so picks read one volatile field and never lock.
 */
final class ManagedCluster implements UpstreamCluster, AutoCloseable {
  /** Replaced only by {@link #reassign}, with a config that differs in its endpoints alone. */
  private volatile ClusterConfig config;
  private final Supplier<RandomGenerator> random;
  private final Ticker ticker;
  private final Bootstrap template;
  private final SslContext ssl;
  private final String sni;
  private final UpstreamConnectionEvents events;
  private final CircuitBreakerState breakers;
  private final ClusterHealth health;
  private final CompletableFuture<Void> firstChecks = new CompletableFuture<>();
  /** How fast PEAK_EWMA's latency estimates forget; zero for the other policies, which keep none. */
  private final Duration latencyDecay;
  private volatile Membership membership;
  private boolean closed;

  private record Membership(List<Endpoint> endpoints, LoadBalancer balancer) {}

  ManagedCluster(
      ClusterConfig config,
      Transport transport,
      SslContext ssl,
      Supplier<RandomGenerator> random,
      Ticker ticker,
      UpstreamConnectionEvents events,
      EventLoop healthLoop) {
    this.config = config;
    this.events = events;
    this.breakers = new CircuitBreakerState(config.circuitBreakers(), events);
    this.random = random;
    this.ticker = ticker;
    this.latencyDecay =
        config.lbPolicy() == ClusterConfig.LbPolicy.PEAK_EWMA ? config.balancing().ewmaDecay() : Duration.ZERO;
    this.ssl = ssl;
    this.sni = config.tls().flatMap(tls -> tls.sni()).orElse(null);
    this.template =
        new Bootstrap()
            .channel(transport.channelClass())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.AUTO_READ, false);
    this.membership = new Membership(List.of(), balancer(List.of()));
    // Endpoints report their own health changes to this cluster (Endpoint.attach), whoever marks them.
    this.health = ClusterHealth.start(this, healthLoop, events.health(), () -> {});
  }

  @Override
  public ClusterConfig config() {
    return config;
  }

  @Override
  public CircuitBreakerState breakers() {
    return breakers;
  }

  @Override
  public UpstreamConnectionEvents events() {
    return events;
  }

  @Override
  public Endpoint pick(long hash) {
    return membership.balancer().pick(hash);
  }

  /** The current endpoint set (for tests and the admin dump). */
  List<Endpoint> endpoints() {
    return membership.endpoints();
  }

  /**
   * Replaces the endpoint set. An endpoint whose address, weight and priority are unchanged keeps its
   * object, so its active-request count, latency estimate and health survive a DNS refresh; a new one
   * starts being health-tracked (unhealthy until its first check, with active checks); every other
   * endpoint of the old set is retired, so that its pooled connections go. Discovery and close call
   * this off the event loops, rarely: the lock never meets a pick.
   */
  synchronized void update(List<Endpoint> discovered) {
    if (closed) {
      return;
    }
    Map<InetSocketAddress, Endpoint> previous = new HashMap<>();
    for (Endpoint endpoint : membership.endpoints()) {
      previous.put(endpoint.address(), endpoint);
    }
    List<Endpoint> next = new ArrayList<>(discovered.size());
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    for (Endpoint candidate : discovered) {
      Endpoint kept = previous.get(candidate.address());
      boolean keep =
          kept != null && kept.weight() == candidate.weight() && kept.priority() == candidate.priority();
      if (keep) {
        next.add(kept);
        previous.remove(candidate.address());
      } else {
        if (health.enabled()) {
          checks.add(health.track(candidate));
        }
        candidate.attach(this::healthChanged, latencyDecay);
        next.add(candidate);
      }
    }
    CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenRun(() -> firstChecks.complete(null));
    List<Endpoint> endpoints = List.copyOf(next);
    membership = new Membership(endpoints, balancer(endpoints));
    previous.values().forEach(Endpoint::retire);
  }

  /**
   * Takes the endpoints of {@code next}, a STATIC config (an EDS assignment) equal to this cluster's
   * but for its endpoints, in place: as in {@link #update}, the endpoints that stay keep their pooled
   * connections, health and outlier state, and the balancer is rebuilt over the new set; the
   * circuit breakers, being the cluster's, keep counting.
   */
  synchronized void reassign(ClusterConfig next) {
    config = next;
    update(EndpointDiscovery.fixed(next.endpoints()));
  }

  /**
   * Completes once the endpoints of the first set have had their first active health check (at
   * once without checks), the point where Envoy's cluster warming ends.
   */
  CompletableFuture<Void> firstChecks() {
    return firstChecks;
  }

  /** An endpoint's health changed: the same set, balanced anew over what is healthy now. */
  private synchronized void healthChanged() {
    if (!closed) {
      List<Endpoint> endpoints = membership.endpoints();
      membership = new Membership(endpoints, balancer(endpoints));
    }
  }

  private LoadBalancer balancer(List<Endpoint> endpoints) {
    return LoadBalancer.create(config.lbPolicy(), config.balancing(), endpoints, random, ticker);
  }

  @Override
  public ChannelFuture connect(EventLoop loop, Endpoint endpoint, ChannelHandler handler) {
    Bootstrap bootstrap = template.clone(loop);
    if (ssl == null) {
      bootstrap.handler(handler);
    } else {
      InetSocketAddress address = endpoint.address();
      bootstrap.handler(
          new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              // SNI only when configured: the peer host given here is what the engine sends. Without
              // SNI the endpoint's IP literal (never sent as SNI) names the peer in TLS log lines.
              String peer = sni != null ? sni : address.getAddress().getHostAddress();
              SslHandler tls = ssl.newHandler(ch.alloc(), peer, address.getPort());
              // Envoy counts the handshake in connect_timeout: a peer that never answers the
              // ClientHello is a connect failure, not a request that hangs.
              tls.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
              ch.pipeline().addLast(tls, handler);
            }
          });
    }
    ChannelFuture connecting = bootstrap.connect(endpoint.address());
    connecting.addListener(this::countConnect);
    return connecting;
  }

  private void countConnect(io.netty.util.concurrent.Future<? super Void> connected) {
    if (!connected.isSuccess()) {
      events.connectFailed();
      return;
    }
    Channel channel = ((ChannelFuture) connected).channel();
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (tls == null) {
      opened(channel);
      return;
    }
    tls.handshakeFuture()
        .addListener(
            handshake -> {
              events.tlsHandshake(handshake.isSuccess());
              if (handshake.isSuccess()) {
                opened(channel);
              } else {
                events.connectFailed();
              }
            });
  }

  private void opened(Channel channel) {
    events.connectionOpened();
    channel.closeFuture().addListener(closed -> events.connectionClosed());
  }

  /**
   * Retires every endpoint (their pooled connections close once idle) and releases the TLS context;
   * connections already made keep their own reference to it.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.close();
    membership.endpoints().forEach(Endpoint::retire);
    ReferenceCountUtil.release(ssl);
  }
}
