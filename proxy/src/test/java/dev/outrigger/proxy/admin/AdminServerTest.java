package dev.outrigger.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outrigger.proxy.config.AccessLogConfig;
import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.DownstreamTlsConfig;
import dev.outrigger.proxy.config.FilterChainConfig;
import dev.outrigger.proxy.config.FilterChainMatch;
import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HttpConnectionManagerConfig;
import dev.outrigger.proxy.config.ListenerConfig;
import dev.outrigger.proxy.config.ProxyConfig;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import dev.outrigger.proxy.metrics.ProxyMetrics;
import dev.outrigger.proxy.stream.StreamInfo;
import dev.outrigger.proxy.stream.StreamListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private static final String PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY\n-----END PRIVATE KEY-----\n";

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ProxyMetrics metrics = new ProxyMetrics();
  private final ProxyConfig config = config();
  private final TestControl control = new TestControl(config);
  private AdminServer server;

  @BeforeEach
  void start() throws InterruptedException {
    server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), control, metrics);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  private static ProxyConfig config() {
    RouteConfig route =
        new RouteConfig(
            "orders",
            new RouteMatchConfig(
                new RouteMatchConfig.PathMatch.Regex(Pattern.compile("/orders/\\d+")), true,
                List.of(new RouteMatchConfig.HeaderMatcher("x-tenant", Optional.of(new StringMatcher.Exact("a", false)), false, false)),
                List.of(), false),
            new RouteAction.Forward(
                WeightedClusters.single("backend"), Optional.empty(), Optional.of("/v2/"), Optional.empty(),
                Optional.empty(), false, Duration.ofMillis(1500), Optional.empty()),
            HeaderMutations.NONE);
    HttpConnectionManagerConfig hcm =
        new HttpConnectionManagerConfig(
            "ingress", HttpConnectionManagerConfig.CodecType.AUTO,
            new RouteTableConfig(
                "local", List.of(new VirtualHostConfig("all", List.of("*"), List.of(route), HeaderMutations.NONE)),
                HeaderMutations.NONE),
            HttpConnectionManagerConfig.DEFAULT_STREAM_IDLE_TIMEOUT, Duration.ZERO,
            HttpConnectionManagerConfig.DEFAULT_IDLE_TIMEOUT, 60, false, 0, true,
            List.of(new AccessLogConfig(Optional.of(Path.of("/tmp/access.log")), new AccessLogConfig.Format.Text("%DURATION%\n"))));
    DownstreamTlsConfig tls =
        new DownstreamTlsConfig(
            new CertificateKeyPair("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", PRIVATE_KEY),
            Optional.empty(), false, List.of("h2", "http/1.1"));
    ListenerConfig listener =
        new ListenerConfig(
            "ingress", new InetSocketAddress("127.0.0.1", 15006), List.of(ListenerConfig.Inspector.TLS),
            ListenerConfig.DEFAULT_INSPECTION_TIMEOUT,
            List.of(new FilterChainConfig("tls", FilterChainMatch.ANY, Optional.of(tls), hcm)),
            Optional.empty(), ListenerConfig.DEFAULT_BUFFER_LIMIT_BYTES);
    ClusterConfig backend =
        new ClusterConfig(
            "backend", ClusterConfig.DiscoveryType.STATIC, ClusterConfig.DEFAULT_CONNECT_TIMEOUT,
            ClusterConfig.LbPolicy.ROUND_ROBIN, List.of(new ClusterConfig.EndpointConfig("127.0.0.1", 8080, 1)),
            ClusterConfig.UpstreamProtocol.HTTP1, Optional.empty(), ClusterConfig.DEFAULT_DNS_REFRESH_RATE);
    return new ProxyConfig(
        new ProxyConfig.Node("sidecar-1", "shop"), Optional.of(new InetSocketAddress("127.0.0.1", 15000)),
        List.of(listener), Map.of("backend", backend));
  }

  private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyIsOkOnlyWhileLive() throws Exception {
    HttpResponse<String> initializing = send("GET", "/ready");
    assertThat(initializing.statusCode()).isEqualTo(503);
    assertThat(initializing.body()).isEqualTo("INITIALIZING\n");

    control.state = ServerState.LIVE;
    HttpResponse<String> live = send("GET", "/ready");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("LIVE\n");

    control.state = ServerState.DRAINING;
    assertThat(send("GET", "/ready").statusCode()).isEqualTo(503);
    assertThat(send("GET", "/live").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsShowReportedStreamsInPrometheusText() throws Exception {
    ListenerConfig listener = config.listeners().get(0);
    StreamListener streams = metrics.listenerFor(listener, listener.filterChains().get(0), config.clusters().keySet());
    StreamInfo info = new StreamInfo(0, 0, "ingress", new InetSocketAddress("127.0.0.1", 1234));
    info.protocol("HTTP/2");
    info.routeName("orders");
    info.upstreamCluster("backend");
    info.responseCode(200);
    info.end(2_000_000);
    streams.onStart(info);
    streams.onComplete(info);

    HttpResponse<String> response = send("GET", "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains("# TYPE outrigger_requests_total counter")
        .contains("outrigger_requests_total{cluster=\"backend\",code=\"200\",flags=\"-\",listener=\"ingress\",route=\"orders\"} 1")
        .contains("# TYPE outrigger_request_duration_seconds histogram");
  }

  @Test
  void metricsInOpenMetricsWhenAcceptAsks() throws Exception {
    metrics.upstream("backend").connectFailed();
    HttpResponse<String> response =
        send("GET", "/metrics", "Accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
    assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(response.body()).contains("outrigger_upstream_connect_failures_total{cluster=\"backend\"} 1").endsWith("# EOF\n");
  }

  @Test
  void configDumpIsJsonOfTheRunningConfigWithoutPrivateKeys() throws Exception {
    HttpResponse<String> response = send("GET", "/config_dump");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.body()).doesNotContain("TOP-SECRET-KEY").doesNotContain("PRIVATE KEY");

    assertThat(response.body()).startsWith("{\n  \"version_info\" : \"static\",");
    JsonNode dump = new ObjectMapper().readTree(response.body());
    assertThat(dump.path("version_info").asText()).isEqualTo("static");
    JsonNode config = dump.path("config");
    assertThat(config.path("node").path("id").asText()).isEqualTo("sidecar-1");
    assertThat(config.path("admin_address").asText()).isEqualTo("127.0.0.1:15000");
    JsonNode chain = config.path("listeners").path(0).path("filter_chains").path(0);
    assertThat(chain.path("tls").path("certificate").path("private_key").asText()).isEqualTo("[redacted]");
    assertThat(chain.path("tls").path("certificate").path("certificate_chain").asText()).contains("MIIB");
    JsonNode hcm = chain.path("filter");
    assertThat(hcm.path("@type").asText()).isEqualTo("HttpConnectionManagerConfig");
    assertThat(hcm.path("access_logs").path(0).path("path").asText()).isEqualTo("/tmp/access.log");
    JsonNode route = hcm.path("route_table").path("virtual_hosts").path(0).path("routes").path(0);
    assertThat(route.path("match").path("path").path("@type").asText()).isEqualTo("Regex");
    assertThat(route.path("match").path("path").path("pattern").asText()).isEqualTo("/orders/\\d+");
    assertThat(route.path("action").path("timeout").asText()).isEqualTo("1.5s");
    assertThat(route.path("action").path("prefix_rewrite").asText()).isEqualTo("/v2/");
    assertThat(route.path("action").path("regex_rewrite").isNull()).isTrue();
    assertThat(route.path("headers").has("empty")).isFalse();
    assertThat(config.path("clusters").path("backend").path("connect_timeout").asText()).isEqualTo("5s");
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> wrong = send("GET", "/drain");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("allow")).hasValue("POST");
    assertThat(send("POST", "/ready").statusCode()).isEqualTo(405);
    assertThat(control.drains).hasValue(0);
  }

  @Test
  void aMalformedRequestIs400() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /ready HTTP/1.1\r\nbroken header line\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      assertThat(status).isEqualTo("HTTP/1.1 400 Bad Request");
    }
  }

  @Test
  void drainAndShutdownAreStartedAfterAnswering() throws Exception {
    assertThat(send("POST", "/drain").statusCode()).isEqualTo(200);
    await().untilAsserted(() -> assertThat(control.drains).hasValue(1));
    assertThat(send("POST", "/shutdown?reason=job-done").statusCode()).isEqualTo(200);
    await().untilAsserted(() -> assertThat(control.shutdowns).hasValue(1));
  }
}
