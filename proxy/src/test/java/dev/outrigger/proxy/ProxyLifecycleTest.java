package dev.outrigger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The proxy's start, drain and shutdown, observed through its admin server and its sockets. */
class ProxyLifecycleTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** One TCP listener to a cluster nobody listens on, and the admin server; every port chosen by the kernel. */
  private static ProxyConfig config(Optional<InetSocketAddress> admin, List<AccessLogConfig> accessLogs) {
    TcpProxyConfig tcp = new TcpProxyConfig("tcp", WeightedClusters.single("nowhere"), Duration.ZERO, accessLogs);
    ListenerConfig listener =
        new ListenerConfig(
            "tcp-in", new InetSocketAddress("127.0.0.1", 0), List.of(), ListenerConfig.DEFAULT_INSPECTION_TIMEOUT,
            List.of(new FilterChainConfig("only", FilterChainMatch.ANY, Optional.empty(), tcp)), Optional.empty(),
            ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES);
    ClusterConfig nowhere =
        new ClusterConfig(
            "nowhere", ClusterConfig.DiscoveryType.STATIC, ClusterConfig.DEFAULT_CONNECT_TIMEOUT,
            ClusterConfig.LbPolicy.ROUND_ROBIN, List.of(new ClusterConfig.EndpointConfig("127.0.0.1", 1, 1)),
            ClusterConfig.UpstreamProtocol.HTTP1, Optional.empty(), ClusterConfig.DEFAULT_DNS_REFRESH_RATE);
    return new ProxyConfig(new ProxyConfig.Node("test", "test"), admin, List.of(listener), Map.of("nowhere", nowhere));
  }

  private static ProxyConfig withAdmin() {
    return config(Optional.of(new InetSocketAddress("127.0.0.1", 0)), List.of());
  }

  private static ProxyOptions options(CompletableFuture<Integer> exit) {
    return ProxyOptions.defaults().withThreads(1).withDrainTime(Duration.ofSeconds(30)).withExit(exit::complete);
  }

  private HttpResponse<String> admin(Proxy proxy, String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + proxy.adminAddress().orElseThrow().getPort() + path);
    HttpRequest request =
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void connect(InetSocketAddress address) throws IOException {
    new Socket(address.getAddress(), address.getPort()).close();
  }

  @Test
  void readyOnceStartedAndUnreadyAsSoonAsAdminStartsADrain() throws Exception {
    try (Proxy proxy = Proxy.start(withAdmin(), options(new CompletableFuture<>()))) {
      InetSocketAddress listener = proxy.listenerAddress("tcp-in");
      assertThat(admin(proxy, "GET", "/ready").statusCode()).isEqualTo(200);

      assertThat(admin(proxy, "POST", "/drain").statusCode()).isEqualTo(200);
      await().until(() -> admin(proxy, "GET", "/ready").statusCode() == 503);
      assertThat(admin(proxy, "GET", "/ready").body()).isEqualTo("DRAINING\n");
      // The drain the admin started is the one a later caller (the CLI on SIGTERM) joins.
      assertThat(proxy.drain(Duration.ofSeconds(30))).isTrue();
      assertThatThrownBy(() -> connect(listener)).isInstanceOf(ConnectException.class);
      assertThat(admin(proxy, "GET", "/live").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anIdleProxyDrainsAtOnce() throws Exception {
    try (Proxy proxy = Proxy.start(config(Optional.empty(), List.of()), options(new CompletableFuture<>()))) {
      assertThat(proxy.adminAddress()).isEmpty();
      assertThat(proxy.drain(Duration.ofMinutes(10))).isTrue();
    }
  }

  @Test
  void shutdownDrainsClosesAndCallsTheExitHook() throws Exception {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Proxy proxy = Proxy.start(withAdmin(), options(exit));
    InetSocketAddress adminAddress = proxy.adminAddress().orElseThrow();
    assertThat(admin(proxy, "POST", "/shutdown").statusCode()).isEqualTo(200);
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThatThrownBy(() -> connect(adminAddress)).isInstanceOf(ConnectException.class);
  }

  @Test
  void acceptedConnectionsAreCountedPerListener() throws Exception {
    try (Proxy proxy = Proxy.start(withAdmin(), options(new CompletableFuture<>()))) {
      connect(proxy.listenerAddress("tcp-in"));
      await().until(() -> admin(proxy, "GET", "/metrics").body()
          .contains("outrigger_downstream_connections_total{listener=\"tcp-in\"} 1"));
    }
  }

  @Test
  void aRefusedUpstreamConnectionIsCountedForItsCluster() throws Exception {
    try (Proxy proxy = Proxy.start(withAdmin(), options(new CompletableFuture<>()))) {
      connect(proxy.listenerAddress("tcp-in"));
      await().until(() -> admin(proxy, "GET", "/metrics").body()
          .contains("outrigger_upstream_connect_failures_total{cluster=\"nowhere\"} 1"));
      assertThat(admin(proxy, "GET", "/metrics").body())
          .contains("outrigger_upstream_connections_total{cluster=\"nowhere\"} 0");
    }
  }

  @Test
  void aBadAccessLogFormatFailsTheStart() {
    ProxyConfig config =
        config(Optional.empty(), List.of(new AccessLogConfig(Optional.empty(), new AccessLogConfig.Format.Text("%NOPE%"))));
    assertThatThrownBy(() -> Proxy.start(config, options(new CompletableFuture<>())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("%NOPE%");
  }
}
