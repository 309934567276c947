package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.DiscoveryType;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.tls.TestPki;
import dev.outrigger.proxy.upstream.CircuitBreakerState;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.HostResolver;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Upstream pools over real sockets: they follow the cluster's membership (a DNS refresh that drops
 * an endpoint closes its connections once their requests end, and its pool goes at once), close
 * connections left idle (and the pool goes with its last connection), and count an unanswered TLS
 * handshake against the connect timeout.
 */
class UpstreamPoolLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final EventLoopGroup dnsRefreshes = Transport.best().newGroup(1);
  private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
  private final HostResolver resolver = host -> CompletableFuture.completedFuture(dns.getOrDefault(host, List.of()));
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
  private UpstreamClusterManager clusters;
  private TestUpstream upstream;
  private TestProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (clusters != null) {
      clusters.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    dnsRefreshes.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private static ClusterConfig cluster(DiscoveryType type, String host, int port, UpstreamProtocol protocol, Duration connectTimeout, Optional<UpstreamTlsConfig> tls) {
    return new ClusterConfig(
        "svc", type, connectTimeout, ClusterConfig.LbPolicy.ROUND_ROBIN, List.of(new EndpointConfig(host, port, 1)), protocol, tls, Duration.ofMillis(20));
  }

  private UpstreamCluster start(ClusterConfig config, Function<String, ? extends UpstreamConnectionEvents> events) {
    clusters =
        UpstreamClusterManager.start(Map.of("svc", config), Transport.best(), dnsRefreshes, resolver, ThreadLocalRandom::current, events);
    clusters.ready().orTimeout(10, TimeUnit.SECONDS).join();
    return clusters.cluster("svc");
  }

  private static TestUpstream upstreamFor(UpstreamProtocol protocol) throws InterruptedException {
    return protocol == UpstreamProtocol.HTTP2 ? TestUpstream.h2c() : TestUpstream.http1();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(proxy.url(path))).timeout(WAIT).build(), BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(value = UpstreamProtocol.class, names = {"HTTP1", "HTTP2"})
  void anEndpointDroppedByDnsLosesItsConnectionsOnceTheirRequestsEnd(UpstreamProtocol protocol) throws Exception {
    upstream = upstreamFor(protocol);
    dns.put("app.svc", List.of(InetAddress.getLoopbackAddress()));
    UpstreamCluster cluster = start(cluster(DiscoveryType.STRICT_DNS, "app.svc", upstream.port(), protocol, Duration.ofSeconds(2), Optional.empty()), name -> UpstreamConnectionEvents.NONE);
    proxy = TestProxy.builder().forward("/", "svc").cluster("svc", cluster).start();

    try (Socket inFlight = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      OutputStream out = inFlight.getOutputStream();
      out.write("POST /sink HTTP/1.1\r\nhost: svc\r\ncontent-length: 4\r\n\r\nab".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      upstream.takeRequest();
      assertThat(get("/").body()).isEqualTo("ok");
      int busyConnections = protocol == UpstreamProtocol.HTTP2 ? 1 : 2;
      await().atMost(WAIT).until(() -> upstream.openConnections() == busyConnections);
      assertThat(proxy.onLoop(UpstreamPools::onThisLoop)).isEqualTo(1);

      dns.put("app.svc", List.of());
      await().atMost(WAIT).until(() -> cluster.pick(0) == null);
      // The pool leaves with the retirement, before its last connection closes.
      await().atMost(WAIT).until(() -> proxy.onLoop(UpstreamPools::onThisLoop) == 0);
      // HTTP/1.1: the idle connection goes at once, the one still carrying the request stays.
      await().atMost(WAIT).until(() -> upstream.openConnections() == 1);

      out.write("cd".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = readUntil(inFlight.getInputStream(), "\r\n\r\n");
      assertThat(response).startsWith("HTTP/1.1 200");
    }
    await().atMost(WAIT).until(() -> upstream.openConnections() == 0);
  }

  private static String readUntil(InputStream in, String end) throws Exception {
    StringBuilder read = new StringBuilder();
    int b;
    while (read.indexOf(end) < 0 && (b = in.read()) != -1) {
      read.append((char) b);
    }
    return read.toString();
  }

  @ParameterizedTest
  @EnumSource(value = UpstreamProtocol.class, names = {"HTTP1", "HTTP2"})
  void aPooledConnectionIdleForTheIdleTimeoutIsClosed(UpstreamProtocol protocol) throws Exception {
    upstream = upstreamFor(protocol);
    UpstreamCluster cluster = start(cluster(DiscoveryType.STATIC, "127.0.0.1", upstream.port(), protocol, Duration.ofSeconds(2), Optional.empty()), name -> UpstreamConnectionEvents.NONE);
    proxy = TestProxy.builder().forward("/", "svc").cluster("svc", new Adjusted(cluster, Duration.ofMillis(100), () -> cluster.pick(0))).start();

    assertThat(get("/").body()).isEqualTo("ok");
    await().atMost(WAIT).until(() -> upstream.openConnections() == 0);
    await().atMost(WAIT).until(() -> proxy.onLoop(UpstreamPools::onThisLoop) == 0);

    assertThat(get("/").body()).isEqualTo("ok");
    assertThat(upstream.connections.get()).isEqualTo(2);
  }

  @Test
  void aPickOfAnEndpointAlreadyRetiredIsServedAndItsPoolDoesNotStay() throws Exception {
    upstream = TestUpstream.http1();
    dns.put("app.svc", List.of(InetAddress.getLoopbackAddress()));
    UpstreamCluster cluster = start(cluster(DiscoveryType.STRICT_DNS, "app.svc", upstream.port(), UpstreamProtocol.HTTP1, Duration.ofSeconds(2), Optional.empty()), name -> UpstreamConnectionEvents.NONE);
    Endpoint stale = cluster.pick(0);
    dns.put("app.svc", List.of());
    await().atMost(WAIT).until(() -> cluster.pick(0) == null);
    // As if the pick had raced the DNS refresh.
    proxy = TestProxy.builder().forward("/", "svc").cluster("svc", new Adjusted(cluster, UpstreamCluster.DEFAULT_IDLE_TIMEOUT, () -> stale)).start();

    assertThat(get("/").body()).isEqualTo("ok");

    await().atMost(WAIT).until(() -> upstream.openConnections() == 0);
    assertThat(proxy.onLoop(UpstreamPools::onThisLoop)).isZero();
  }

  @Test
  void theDefaultIdleTimeoutIsEnvoys() {
    assertThat(UpstreamCluster.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void anUpstreamThatNeverAnswersTheClientHelloFailsWithinTheConnectTimeout() throws Exception {
    TestPki pki = TestPki.get();
    UpstreamTlsConfig tls = new UpstreamTlsConfig(Optional.empty(), Optional.empty(), Optional.of(pki.caPem), List.of("http/1.1"));
    try (ProxyMetrics metrics = new ProxyMetrics();
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // The kernel completes the TCP handshake (backlog); nobody ever reads the ClientHello.
      UpstreamCluster cluster =
          start(cluster(DiscoveryType.STATIC, "127.0.0.1", silent.getLocalPort(), UpstreamProtocol.HTTP1, Duration.ofMillis(200), Optional.of(tls)), metrics::upstream);
      proxy = TestProxy.builder().forward("/", "svc").cluster("svc", cluster).start();

      // Netty's own handshake timeout is 10 s; a bound at half of it still leaves the 200 ms room.
      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(URI.create(proxy.url("/"))).timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(proxy.takeInfo().responseFlags()).containsExactly(ResponseFlag.UF);
      assertThat(metrics.scrape(null).body()).contains("outrigger_upstream_connect_failures_total{cluster=\"svc\"} 1");
    }
  }

  /** A cluster as configured, with the idle timeout and the picks a test needs. */
  private static final class Adjusted implements UpstreamCluster {
    private final UpstreamCluster cluster;
    private final Duration idleTimeout;
    private final Supplier<Endpoint> picks;

    Adjusted(UpstreamCluster cluster, Duration idleTimeout, Supplier<Endpoint> picks) {
      this.cluster = cluster;
      this.idleTimeout = idleTimeout;
      this.picks = picks;
    }

    @Override
    public ClusterConfig config() {
      return cluster.config();
    }

    @Override
    public CircuitBreakerState breakers() {
      return cluster.breakers();
    }

    @Override
    public Endpoint pick(long hash) {
      return picks.get();
    }

    @Override
    public ChannelFuture connect(EventLoop loop, Endpoint endpoint, ChannelHandler handler) {
      return cluster.connect(loop, endpoint, handler);
    }

    @Override
    public Duration idleTimeout() {
      return idleTimeout;
    }
  }
}
