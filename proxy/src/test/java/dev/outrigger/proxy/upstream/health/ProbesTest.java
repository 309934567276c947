package dev.outrigger.proxy.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.LoadBalancerSettings;
import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.DiscoveryType;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.ClusterConfig.UpstreamProtocol;
import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.tls.TestPki;
import dev.outrigger.proxy.upstream.UpstreamCluster;
import dev.outrigger.proxy.upstream.UpstreamClusterManager;
import dev.outrigger.proxy.upstream.UpstreamConnectionEvents;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each probe against a real server (grpc-java's health service, a TLS gRPC server, a closed port). */
class ProbesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static EventLoopGroup group;

  private final RecordedEvents events = new RecordedEvents();
  private final HealthStatusManager grpcHealth = new HealthStatusManager();
  private Server grpcServer;
  private UpstreamClusterManager clusters;

  @BeforeAll
  static void startLoops() {
    group = Transport.best().newGroup(1);
  }

  @AfterAll
  static void stopLoops() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @AfterEach
  void stop() {
    if (clusters != null) {
      clusters.close();
    }
    if (grpcServer != null) {
      grpcServer.shutdownNow();
    }
  }

  private UpstreamCluster start(HealthCheckConfig.Probe probe, UpstreamProtocol protocol,
      Optional<UpstreamTlsConfig> tls, int... ports) {
    HealthCheckConfig check = new HealthCheckConfig(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ZERO, 0, 1, 1, probe);
    List<EndpointConfig> endpoints = IntStream.of(ports).mapToObj(port -> new EndpointConfig("127.0.0.1", port, 1)).toList();
    ClusterConfig config = new ClusterConfig("svc", DiscoveryType.STATIC, Duration.ofSeconds(2), LbPolicy.ROUND_ROBIN,
        endpoints, protocol, tls, Duration.ofSeconds(5), CircuitBreakers.DEFAULTS, Optional.of(check), Optional.empty(),
        LoadBalancerSettings.DEFAULTS);
    UpstreamConnectionEvents withHealth = new UpstreamConnectionEvents() {
      @Override
      public HealthEvents health() {
        return events;
      }
    };
    clusters = UpstreamClusterManager.start(Map.of("svc", config), Transport.best(), group, name -> withHealth);
    return clusters.cluster("svc");
  }

  private int startGrpc(boolean tls) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(grpcHealth.getHealthService());
    if (tls) {
      TestPki pki = TestPki.get();
      builder.sslContext(GrpcSslContexts.forServer(pki.file("server.crt").toFile(), pki.file("server.key").toFile()).build());
    }
    grpcServer = builder.build().start();
    return grpcServer.getPort();
  }

  private void awaitHealthy(int count) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.healthy).isEqualTo(count));
  }

  @Test
  void grpcHealthFollowsTheServingStatusOfTheWholeServer() throws Exception {
    int port = startGrpc(false);
    grpcHealth.setStatus("", ServingStatus.SERVING);
    start(new HealthCheckConfig.GrpcProbe("", "svc"), UpstreamProtocol.HTTP2, Optional.empty(), port);
    awaitHealthy(1);

    grpcHealth.setStatus("", ServingStatus.NOT_SERVING);
    awaitHealthy(0);
    assertThat(events.checks).contains(ProbeResult.HEALTHY, ProbeResult.UNHEALTHY).doesNotContain(ProbeResult.NETWORK_FAILURE);

    grpcHealth.setStatus("", ServingStatus.SERVING);
    awaitHealthy(1);
  }

  @Test
  void grpcHealthOfAServiceTheServerDoesNotKnowIsUnhealthy() throws Exception {
    int port = startGrpc(false);
    grpcHealth.setStatus("known", ServingStatus.SERVING);
    start(new HealthCheckConfig.GrpcProbe("unknown", "svc"), UpstreamProtocol.HTTP2, Optional.empty(), port);
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.checks).hasSizeGreaterThan(2));
    assertThat(events.checks).containsOnly(ProbeResult.UNHEALTHY);
    assertThat(events.healthy).isZero();
  }

  @Test
  void grpcHealthOverTheClustersTlsVerifiesTheServer() throws Exception {
    int port = startGrpc(true);
    grpcHealth.setStatus("svc", ServingStatus.SERVING);
    TestPki pki = TestPki.get();
    start(new HealthCheckConfig.GrpcProbe("svc", "localhost"), UpstreamProtocol.HTTP2,
        Optional.of(new UpstreamTlsConfig(Optional.of("localhost"), Optional.empty(), Optional.of(pki.caPem), List.of("h2"))),
        port);
    awaitHealthy(1);
  }

  @Test
  void anUntrustedServerFailsTheCheck() throws Exception {
    int port = startGrpc(true);
    grpcHealth.setStatus("", ServingStatus.SERVING);
    TestPki pki = TestPki.get();
    start(new HealthCheckConfig.GrpcProbe("", "localhost"), UpstreamProtocol.HTTP2,
        Optional.of(new UpstreamTlsConfig(Optional.of("localhost"), Optional.empty(), Optional.of(pki.otherCaPem), List.of("h2"))),
        port);
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.checks).hasSizeGreaterThan(2));
    assertThat(events.checks).containsOnly(ProbeResult.NETWORK_FAILURE);
    assertThat(events.healthy).isZero();
  }

  @Test
  void aTcpCheckTakesAClosedPortOut() throws Exception {
    int closed;
    try (ServerSocket gone = new ServerSocket(0)) {
      closed = gone.getLocalPort();
    }
    try (ServerSocket open = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      UpstreamCluster cluster = start(new HealthCheckConfig.TcpProbe(), UpstreamProtocol.HTTP1, Optional.empty(),
          open.getLocalPort(), closed);
      awaitHealthy(1);
      assertThat(events.checks).contains(ProbeResult.HEALTHY, ProbeResult.NETWORK_FAILURE);
      for (int i = 0; i < 4; i++) {
        assertThat(cluster.pick(0).address().getPort()).isEqualTo(open.getLocalPort());
      }
    }
  }

  @Test
  void anHttpCheckOverHttp2JudgesTheStatus() throws Exception {
    int port = startGrpc(false);
    // grpc-java answers a GET of an unknown path with an HTTP error status: not the expected 200.
    start(new HealthCheckConfig.HttpProbe("/healthz", "svc", List.of(new HealthCheckConfig.StatusRange(200, 201)), true),
        UpstreamProtocol.HTTP2, Optional.empty(), port);
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.checks).hasSizeGreaterThan(2));
    assertThat(events.checks).containsOnly(ProbeResult.UNHEALTHY);
  }
}
