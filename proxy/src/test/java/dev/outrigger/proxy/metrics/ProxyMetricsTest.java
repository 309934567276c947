package dev.outrigger.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.NetworkFilterConfig;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.TcpProxyConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.stream.ResponseFlag;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.stream.StreamListener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
  private final ProxyMetrics metrics = new ProxyMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  static RouteConfig forward(String name, String prefix, WeightedClusters clusters, Optional<String> clusterHeader) {
    return new RouteConfig(
        name,
        new RouteMatchConfig(new RouteMatchConfig.PathMatch.Prefix(prefix), true, List.of(), List.of(), false),
        new RouteAction.Forward(
            clusters, clusterHeader, Optional.empty(), Optional.empty(), Optional.empty(), false,
            RouteAction.Forward.DEFAULT_TIMEOUT, Optional.empty()),
        HeaderMutations.NONE);
  }

  static ListenerConfig listener(String name, NetworkFilterConfig filter) {
    FilterChainConfig chain = new FilterChainConfig("chain", FilterChainMatch.ANY, Optional.empty(), filter);
    return new ListenerConfig(
        name, new InetSocketAddress("127.0.0.1", 0), List.of(), ListenerConfig.DEFAULT_INSPECTION_TIMEOUT,
        List.of(chain), Optional.empty(), ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES);
  }

  static HttpConnectionManagerConfig hcm(RouteConfig... routes) {
    RouteTableConfig table =
        new RouteTableConfig(
            "local",
            List.of(new VirtualHostConfig("all", List.of("*"), List.of(routes), HeaderMutations.NONE)),
            HeaderMutations.NONE);
    return new HttpConnectionManagerConfig(
        "ingress", HttpConnectionManagerConfig.CodecType.AUTO, table,
        HttpConnectionManagerConfig.DEFAULT_STREAM_IDLE_TIMEOUT, Duration.ZERO,
        HttpConnectionManagerConfig.DEFAULT_IDLE_TIMEOUT, HttpConnectionManagerConfig.DEFAULT_MAX_REQUEST_HEADERS_KB,
        false, 0, true, List.of());
  }

  private static StreamInfo request(String route, String cluster, int code, long millis, ResponseFlag... flags) {
    StreamInfo info = new StreamInfo(0, 0, "ingress", new InetSocketAddress("10.0.0.7", 5555));
    info.protocol("HTTP/1.1");
    info.routeName(route);
    info.upstreamCluster(cluster);
    if (!cluster.isEmpty() && flags.length == 0) {
      info.upstreamHost("127.0.0.1:9000");
    }
    info.responseCode(code);
    for (ResponseFlag flag : flags) {
      info.addResponseFlag(flag);
    }
    info.addBytesReceived(10);
    info.addBytesSent(100);
    info.end(millis * 1_000_000);
    return info;
  }

  private static void complete(StreamListener listener, StreamInfo info) {
    listener.onStart(info);
    listener.onComplete(info);
  }

  private double sample(String name, Map<String, String> labels) {
    OptionalDouble value = Scraped.sample(metrics.scrape(null).body(), name, labels);
    assertThat(value).as(name + labels).isPresent();
    return value.getAsDouble();
  }

  @Test
  void httpRequestsByListenerRouteClusterCodeAndFlags() {
    ListenerConfig config =
        listener(
            "ingress",
            hcm(
                forward("orders", "/orders", WeightedClusters.single("backend"), Optional.empty()),
                forward("by-header", "/pick", WeightedClusters.of(List.of()), Optional.of("x-cluster"))));
    StreamListener listener = metrics.listenerFor(config, config.filterChains().get(0), List.of("backend", "other"));

    complete(listener, request("orders", "backend", 200, 20));
    complete(listener, request("orders", "backend", 200, 3000));
    complete(listener, request("orders", "backend", 503, 1, ResponseFlag.UF));
    complete(listener, request("", "", 404, 0, ResponseFlag.NR));
    complete(listener, request("by-header", "other", 201, 5));
    complete(listener, request("by-header", "/etc/passwd", 503, 0, ResponseFlag.NC));

    Map<String, String> orders = Map.of("listener", "ingress", "route", "orders", "cluster", "backend");
    assertThat(sample("outrigger_requests_total", with(orders, "code", "200", "flags", "-"))).isEqualTo(2);
    assertThat(sample("outrigger_requests_total", with(orders, "code", "503", "flags", "UF"))).isEqualTo(1);
    assertThat(sample("outrigger_requests_total", Map.of("route", "-", "cluster", "-", "code", "404", "flags", "NR")))
        .isEqualTo(1);
    assertThat(sample("outrigger_requests_total", Map.of("route", "by-header", "cluster", "other", "code", "201")))
        .isEqualTo(1);
    // A cluster name from a request header that the config does not know never becomes a label.
    assertThat(sample("outrigger_requests_total", Map.of("route", "by-header", "cluster", "-", "flags", "NC")))
        .isEqualTo(1);
    assertThat(metrics.scrape(null).body()).doesNotContain("passwd").doesNotContain("10.0.0.7");

    assertThat(sample("outrigger_request_duration_seconds_count", orders)).isEqualTo(3);
    assertThat(sample("outrigger_request_duration_seconds_bucket", with(orders, "le", "0.025"))).isEqualTo(2);
    assertThat(sample("outrigger_request_duration_seconds_bucket", with(orders, "le", "5.0"))).isEqualTo(3);

    assertThat(sample("outrigger_requests_active", Map.of("listener", "ingress"))).isZero();
    assertThat(sample("outrigger_downstream_bytes_received_total", Map.of("listener", "ingress"))).isEqualTo(60);
    assertThat(sample("outrigger_downstream_bytes_sent_total", Map.of("listener", "ingress"))).isEqualTo(600);
    // Upstream bytes only for streams an upstream host answered: two to backend, one to other.
    assertThat(sample("outrigger_upstream_bytes_sent_total", Map.of("cluster", "backend"))).isEqualTo(20);
    assertThat(sample("outrigger_upstream_bytes_received_total", Map.of("cluster", "backend"))).isEqualTo(200);
    assertThat(sample("outrigger_local_replies_total", Map.of("listener", "ingress", "flag", "NR"))).isEqualTo(1);
    assertThat(sample("outrigger_local_replies_total", Map.of("listener", "ingress", "flag", "UF"))).isEqualTo(1);
  }

  @Test
  void activeRequestsCountStartedButNotCompletedStreams() {
    ListenerConfig config = listener("ingress", hcm(forward("r", "/", WeightedClusters.single("c"), Optional.empty())));
    StreamListener listener = metrics.listenerFor(config, config.filterChains().get(0), List.of("c"));
    StreamInfo first = request("r", "c", 200, 1);
    StreamInfo second = request("r", "c", 200, 1);
    listener.onStart(first);
    listener.onStart(second);
    assertThat(sample("outrigger_requests_active", Map.of("listener", "ingress"))).isEqualTo(2);
    listener.onComplete(first);
    assertThat(sample("outrigger_requests_active", Map.of("listener", "ingress"))).isEqualTo(1);
  }

  @Test
  void tcpConnectionsAndConnectionLevelCounters() {
    ListenerConfig config =
        listener("db", new TcpProxyConfig("db", WeightedClusters.single("postgres"), Duration.ZERO, List.of()));
    StreamListener listener = metrics.listenerFor(config, config.filterChains().get(0), List.of("postgres"));
    StreamInfo connection = new StreamInfo(0, 0, "db", new InetSocketAddress("10.0.0.7", 5555));
    connection.upstreamCluster("postgres");
    connection.upstreamHost("127.0.0.1:5432");
    connection.addBytesReceived(7);
    connection.addBytesSent(9);
    listener.onStart(connection);
    assertThat(sample("outrigger_tcp_connections_active", Map.of("listener", "db"))).isEqualTo(1);
    listener.onComplete(connection);

    assertThat(sample("outrigger_tcp_connections_active", Map.of("listener", "db"))).isZero();
    assertThat(sample("outrigger_tcp_connections_total", Map.of("listener", "db", "cluster", "postgres"))).isEqualTo(1);
    assertThat(sample("outrigger_upstream_bytes_sent_total", Map.of("cluster", "postgres"))).isEqualTo(7);

    metrics.listener("db").connectionOpened();
    metrics.listener("db").connectionOpened();
    metrics.listener("db").connectionClosed();
    metrics.upstream("postgres").connectFailed();
    metrics.upstream("postgres").connectionOpened();
    assertThat(sample("outrigger_downstream_connections_total", Map.of("listener", "db"))).isEqualTo(2);
    assertThat(sample("outrigger_downstream_connections_active", Map.of("listener", "db"))).isEqualTo(1);
    assertThat(sample("outrigger_upstream_connect_failures_total", Map.of("cluster", "postgres"))).isEqualTo(1);
    assertThat(sample("outrigger_upstream_connections_active", Map.of("cluster", "postgres"))).isEqualTo(1);
  }

  @Test
  void openMetricsWhenAcceptAsksForIt() {
    metrics.upstream("c").connectFailed();
    ProxyMetrics.Scrape open = metrics.scrape("application/openmetrics-text; version=1.0.0, text/plain;q=0.5");
    assertThat(open.contentType()).startsWith("application/openmetrics-text");
    assertThat(open.body()).contains("outrigger_upstream_connect_failures_total{cluster=\"c\"} 1.0").endsWith("# EOF\n");
    ProxyMetrics.Scrape text = metrics.scrape("*/*");
    assertThat(text.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text.body()).doesNotContain("# EOF");
  }

  private static Map<String, String> with(Map<String, String> base, String... more) {
    HashMap<String, String> all = new HashMap<>(base);
    for (int i = 0; i < more.length; i += 2) {
      all.put(more[i], more[i + 1]);
    }
    return all;
  }
}
