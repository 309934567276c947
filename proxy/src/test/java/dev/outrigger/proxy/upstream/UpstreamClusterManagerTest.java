package dev.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.DiscoveryType;
import dev.outrigger.proxy.config.ClusterConfig.EndpointConfig;
import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.UpstreamTlsConfig;
import dev.outrigger.proxy.runtime.Transport;
import dev.outrigger.proxy.tls.TestPki;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UpstreamClusterManagerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Transport transport;
  private static EventLoopGroup group;
  private UpstreamClusterManager manager;

  @BeforeAll
  static void startLoop() {
    transport = Transport.best();
    group = transport.newGroup(1);
  }

  @AfterAll
  static void stopLoop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @AfterEach
  void closeManager() {
    if (manager != null) {
      manager.close();
    }
  }

  private static ClusterConfig cluster(
      DiscoveryType type, List<EndpointConfig> endpoints, Optional<UpstreamTlsConfig> tls, Duration refresh) {
    return new ClusterConfig(
        "c", type, Duration.ofSeconds(5), LbPolicy.ROUND_ROBIN, endpoints, ClusterConfig.UpstreamProtocol.ALPN, tls, refresh);
  }

  private UpstreamCluster start(ClusterConfig config, HostResolver resolver) {
    manager =
        UpstreamClusterManager.start(
            Map.of(config.name(), config), transport, group, resolver, ThreadLocalRandom::current,
            name -> UpstreamConnectionEvents.NONE);
    manager.ready().orTimeout(10, TimeUnit.SECONDS).join();
    return manager.cluster(config.name());
  }

  private static List<String> endpoints(UpstreamCluster cluster) {
    return ((ManagedCluster) cluster).endpoints().stream().map(Endpoint::toString).toList();
  }

  /** Answers from a map the test edits; an absent name fails like NXDOMAIN. */
  private static final class FakeDns implements HostResolver {
    final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();

    void answer(String host, String... ips) throws UnknownHostException {
      List<InetAddress> addresses = new java.util.ArrayList<>();
      for (String ip : ips) {
        addresses.add(InetAddress.getByName(ip));
      }
      answers.put(host, addresses);
    }

    @Override
    public CompletableFuture<List<InetAddress>> resolveAll(String host) {
      List<InetAddress> answer = answers.get(host);
      return answer == null
          ? CompletableFuture.failedFuture(new UnknownHostException(host))
          : CompletableFuture.completedFuture(answer);
    }
  }

  @Test
  void strictDnsResolvesLocalhostAndConnects() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ClusterConfig config =
          cluster(DiscoveryType.STRICT_DNS, List.of(new EndpointConfig("localhost", server.getLocalPort(), 1)), Optional.empty(), Duration.ofSeconds(5));
      manager = UpstreamClusterManager.start(Map.of("c", config), transport, group, name -> UpstreamConnectionEvents.NONE);
      manager.ready().orTimeout(10, TimeUnit.SECONDS).join();
      UpstreamCluster cluster = manager.cluster("c");

      assertThat(endpoints(cluster)).containsExactly("127.0.0.1:" + server.getLocalPort());
      ChannelFuture connected = cluster.connect(group.next(), cluster.pick(0), new ChannelInboundHandlerAdapter());
      assertThat(connected.await(10, TimeUnit.SECONDS) && connected.isSuccess()).isTrue();
      connected.channel().close().sync();
    }
  }

  @Test
  void strictDnsSwapsTheWholeSetOnRefreshAndKeepsTheLastAnswerOnFailure() throws Exception {
    FakeDns dns = new FakeDns();
    dns.answer("a.svc", "10.0.0.1", "10.0.0.2");
    dns.answer("b.svc", "10.0.1.1");
    UpstreamCluster cluster =
        start(
            cluster(DiscoveryType.STRICT_DNS, List.of(new EndpointConfig("a.svc", 80, 1), new EndpointConfig("b.svc", 81, 1)), Optional.empty(), Duration.ofMillis(20)),
            dns);

    assertThat(endpoints(cluster)).containsExactly("10.0.0.1:80", "10.0.0.2:80", "10.0.1.1:81");
    Endpoint kept = cluster.pick(0);

    dns.answer("a.svc", "10.0.0.1", "10.0.0.3");
    dns.answers.remove("b.svc");
    await().atMost(WAIT).until(() -> endpoints(cluster).contains("10.0.0.3:80"));
    assertThat(endpoints(cluster)).containsExactly("10.0.0.1:80", "10.0.0.3:80", "10.0.1.1:81");
    assertThat(((ManagedCluster) cluster).endpoints()).contains(kept);
  }

  @Test
  void anEndpointThatLeavesTheSetIsRetiredAndTheRestWhenTheClusterCloses() throws Exception {
    FakeDns dns = new FakeDns();
    dns.answer("a.svc", "10.0.0.1", "10.0.0.2");
    UpstreamCluster cluster =
        start(cluster(DiscoveryType.STRICT_DNS, List.of(new EndpointConfig("a.svc", 80, 1)), Optional.empty(), Duration.ofMillis(20)), dns);
    Endpoint staying = ((ManagedCluster) cluster).endpoints().get(0);
    Endpoint leaving = ((ManagedCluster) cluster).endpoints().get(1);
    AtomicBoolean stayingRetired = new AtomicBoolean();
    AtomicBoolean leavingRetired = new AtomicBoolean();
    AtomicBoolean withdrawnRan = new AtomicBoolean();
    staying.whenRetired(() -> stayingRetired.set(true));
    leaving.whenRetired(() -> leavingRetired.set(true));
    leaving.whenRetired(() -> withdrawnRan.set(true)).run();

    dns.answer("a.svc", "10.0.0.1");
    await().atMost(WAIT).untilTrue(leavingRetired);
    assertThat(((ManagedCluster) cluster).endpoints()).containsExactly(staying);
    assertThat(stayingRetired).isFalse();
    assertThat(withdrawnRan).isFalse();
    AtomicBoolean lateRan = new AtomicBoolean();
    leaving.whenRetired(() -> lateRan.set(true));
    assertThat(lateRan).isTrue();

    manager.close();
    assertThat(stayingRetired).isTrue();
  }

  @Test
  void anEndpointOnlyChangeIsTakenByTheRunningClusterAndAnyOtherChangeReplacesIt() throws Exception {
    ClusterConfig before = cluster(DiscoveryType.STATIC,
        List.of(new EndpointConfig("10.0.0.1", 80, 1), new EndpointConfig("10.0.0.2", 80, 1)), Optional.empty(),
        Duration.ofSeconds(5));
    UpstreamCluster cluster = start(before, new FakeDns());
    Endpoint staying = ((ManagedCluster) cluster).endpoints().get(0);
    Endpoint leaving = ((ManagedCluster) cluster).endpoints().get(1);
    AtomicBoolean stayingRetired = new AtomicBoolean();
    AtomicBoolean leavingRetired = new AtomicBoolean();
    staying.whenRetired(() -> stayingRetired.set(true));
    leaving.whenRetired(() -> leavingRetired.set(true));
    ClusterConfig after =
        before.withEndpoints(List.of(new EndpointConfig("10.0.0.1", 80, 1), new EndpointConfig("10.0.0.3", 80, 1)));

    ClusterUpdate update = manager.prepare(Map.of("c", after));
    assertThat(update.reassigned()).containsExactly("c");
    assertThat(update.replaced()).isEmpty();
    assertThat(endpoints(cluster)).containsExactly("10.0.0.1:80", "10.0.0.2:80");
    update.warmed().orTimeout(10, TimeUnit.SECONDS).join();
    update.publish();

    assertThat(manager.cluster("c")).isSameAs(cluster);
    assertThat(cluster.config()).isEqualTo(after);
    assertThat(endpoints(cluster)).containsExactly("10.0.0.1:80", "10.0.0.3:80");
    assertThat(((ManagedCluster) cluster).endpoints()).contains(staying);
    assertThat(leavingRetired).isTrue();
    assertThat(stayingRetired).isFalse();

    ClusterConfig otherPolicy = new ClusterConfig("c", DiscoveryType.STATIC, Duration.ofSeconds(5), LbPolicy.RANDOM,
        after.endpoints(), ClusterConfig.UpstreamProtocol.ALPN, Optional.empty(), Duration.ofSeconds(5));
    ClusterUpdate replacing = manager.prepare(Map.of("c", otherPolicy));
    assertThat(replacing.replaced()).containsExactly("c");
    assertThat(replacing.reassigned()).isEmpty();
    replacing.abandon();
  }

  @Test
  void logicalDnsUsesTheFirstAddressAndFollowsItsChanges() throws Exception {
    FakeDns dns = new FakeDns();
    dns.answer("db.svc", "10.0.0.5", "10.0.0.6");
    UpstreamCluster cluster =
        start(cluster(DiscoveryType.LOGICAL_DNS, List.of(new EndpointConfig("db.svc", 5432, 1)), Optional.empty(), Duration.ofMillis(20)), dns);

    assertThat(endpoints(cluster)).containsExactly("10.0.0.5:5432");
    dns.answer("db.svc", "10.0.0.7");
    await().atMost(WAIT).until(() -> endpoints(cluster).equals(List.of("10.0.0.7:5432")));
  }

  @Test
  void upstreamTlsSendsSniVerifiesTheChainAndReportsAlpn() throws Exception {
    TestPki pki = TestPki.get();
    try (TlsTestServer server =
        new TlsTestServer(new DownstreamTlsConfig(pki.server, Optional.empty(), false, List.of("h2", "http/1.1")), group, transport)) {
      // The SNI is not a name in the certificate: the chain is checked, the host name is not.
      UpstreamTlsConfig tls = new UpstreamTlsConfig(Optional.of("backend.internal"), Optional.empty(), Optional.of(pki.caPem), List.of("h2", "http/1.1"));
      UpstreamCluster cluster = start(staticCluster(server.address(), tls), new FakeDns());

      Future<String> protocol = negotiated(cluster);

      assertThat(protocol.isSuccess()).as("handshake: %s", protocol.cause()).isTrue();
      assertThat(protocol.getNow()).isEqualTo("h2");
      assertThat(server.serverNames.poll(10, TimeUnit.SECONDS)).isEqualTo("backend.internal");
    }
  }

  @Test
  void upstreamTlsRejectsAServerFromAnotherCa() throws Exception {
    TestPki pki = TestPki.get();
    try (TlsTestServer server =
        new TlsTestServer(new DownstreamTlsConfig(pki.otherServer, Optional.empty(), false, List.of()), group, transport)) {
      UpstreamTlsConfig tls = new UpstreamTlsConfig(Optional.empty(), Optional.empty(), Optional.of(pki.caPem), List.of());
      UpstreamCluster cluster = start(staticCluster(server.address(), tls), new FakeDns());

      assertThat(negotiated(cluster).isSuccess()).isFalse();
    }
  }

  @Test
  void upstreamTlsPresentsTheClientCertificateWhenAsked() throws Exception {
    TestPki pki = TestPki.get();
    DownstreamTlsConfig mtls = new DownstreamTlsConfig(pki.server, Optional.of(pki.caPem), true, List.of());
    try (TlsTestServer server = new TlsTestServer(mtls, group, transport)) {
      UpstreamTlsConfig tls = new UpstreamTlsConfig(Optional.empty(), Optional.of(pki.client), Optional.of(pki.caPem), List.of());
      UpstreamCluster cluster = start(staticCluster(server.address(), tls), new FakeDns());

      Future<String> protocol = negotiated(cluster);

      assertThat(protocol.isSuccess()).as("handshake: %s", protocol.cause()).isTrue();
      assertThat(protocol.getNow()).isNull();
      assertThat(server.serverNames.poll(10, TimeUnit.SECONDS)).isEqualTo("-");
    }
  }

  private static ClusterConfig staticCluster(InetSocketAddress address, UpstreamTlsConfig tls) {
    return cluster(
        DiscoveryType.STATIC,
        List.of(new EndpointConfig(address.getAddress().getHostAddress(), address.getPort(), 1)),
        Optional.of(tls),
        ClusterConfig.DEFAULT_DNS_REFRESH_RATE);
  }

  /** Connects and waits for the TLS outcome; TLS 1.3 client auth failures surface on the first read. */
  private static Future<String> negotiated(UpstreamCluster cluster) throws InterruptedException {
    ChannelFuture connected = cluster.connect(group.next(), cluster.pick(0), new ChannelInboundHandlerAdapter());
    assertThat(connected.await(10, TimeUnit.SECONDS) && connected.isSuccess()).isTrue();
    Channel channel = connected.channel();
    Future<String> protocol = UpstreamCluster.negotiatedProtocol(channel);
    assertThat(protocol.await(10, TimeUnit.SECONDS)).isTrue();
    channel.close().sync();
    return protocol;
  }
}
