package dev.outrigger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.tls.TestPki;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole front door: a config loaded from Envoy YAML, started with {@link Proxy#start}, driven
 * over real sockets (TLS with ALPN, plaintext) to real upstreams, observed through the upstreams,
 * the access-log files and the admin server.
 */
class ProxyHttpIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path logs;

  private static RecordingUpstream a;
  private static RecordingUpstream b;
  private static int downPort;
  private static Proxy proxy;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    a = new RecordingUpstream("a");
    b = new RecordingUpstream("b");
    downPort = unusedPort();
    proxy = Proxy.start(BootstrapLoader.loadYaml(bootstrap()), ProxyOptions.defaults().withThreads(2));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    a.close();
    b.close();
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  // ---------------------------------------------------------------- the bootstrap

  private static String bootstrap() {
    TestPki pki = TestPki.get();
    String tls =
        """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
            common_tls_context:
              alpn_protocols: [ALPN]
              tls_certificates:
              - certificate_chain: { filename: "CERT" }
                private_key: { filename: "KEY" }
        """
            .replace("CERT", pki.file("server.crt").toString())
            .replace("KEY", pki.file("server.key").toString());
    String accessLogs =
        """
        access_log:
        - name: envoy.access_loggers.file
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
            path: "TEXT"
            log_format:
              text_format_source:
                inline_string: "%REQ(:METHOD)% %REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_HOST% %UPSTREAM_CLUSTER%\\n"
        - name: envoy.access_loggers.file
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
            path: "JSON"
            log_format:
              json_format:
                method: "%REQ(:METHOD)%"
                path: "%REQ(:PATH)%"
                status: "%RESPONSE_CODE%"
                flags: "%RESPONSE_FLAGS%"
                upstream: "%UPSTREAM_HOST%"
        """
            .replace("TEXT", logs.resolve("text.log").toString())
            .replace("JSON", logs.resolve("json.log").toString());
    return """
        node: { id: it, cluster: it }
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
        """
        + listener("http", "", "").indent(2)
        + listener("metered", "", "").indent(2)
        + listener("logged", "", accessLogs).indent(2)
        + listener("tls-h2", tls.replace("ALPN", "h2, http/1.1"), "").indent(2)
        + listener("tls-h1", tls.replace("ALPN", "http/1.1"), "").indent(2)
        + listener("edge", "", forwarding(true, "edge.log")).indent(2)
        + listener("inner", "", forwarding(false, "inner.log")).indent(2)
        + """
          clusters:
        """
        + cluster("a", a.port()).indent(2)
        + cluster("b", b.port()).indent(2)
        + cluster("down", downPort).indent(2);
  }

  /** An HTTP listener with {@link #ROUTES}, {@code hcmFields} in its connection manager, and a transport socket. */
  private static String listener(String name, String transportSocket, String hcmFields) {
    return """
        - name: NAME
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: NAME
                http_filters:
                - name: envoy.filters.http.router
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
        """
            .replace("NAME", name)
        + ROUTES.indent(8)
        + hcmFields.indent(8)
        + transportSocket.indent(4);
  }

  /** One trusted hop in front, and a log of the client address found and the direct peer. */
  private static String forwarding(boolean useRemoteAddress, String log) {
    return """
        use_remote_address: USE
        xff_num_trusted_hops: 1
        access_log:
        - name: envoy.access_loggers.file
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
            path: "PATH"
            log_format:
              text_format_source:
                inline_string: "%DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT%\\n"
        """
        .replace("USE", Boolean.toString(useRemoteAddress))
        .replace("PATH", logs.resolve(log).toString());
  }

  private static String cluster(String name, int port) {
    return """
        - name: NAME
          type: STATIC
          load_assignment:
            cluster_name: NAME
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: PORT } } }
        """
        .replace("NAME", name)
        .replace("PORT", Integer.toString(port));
  }

  private static final String ROUTES =
      """
      route_config:
        name: routes
        request_headers_to_add: [{ header: { key: x-config-request, value: config } }]
        request_headers_to_remove: [x-drop-config]
        response_headers_to_add: [{ header: { key: x-config-response, value: config } }]
        response_headers_to_remove: [x-upstream-config]
        virtual_hosts:
        - name: all
          domains: ["*"]
          request_headers_to_add: [{ header: { key: x-vhost-request, value: vhost } }]
          request_headers_to_remove: [x-drop-vhost]
          response_headers_to_add: [{ header: { key: x-vhost-response, value: vhost } }]
          response_headers_to_remove: [x-upstream-vhost]
          routes:
          - name: app
            match: { prefix: /app }
            route: { cluster: a }
          - name: prefix
            match: { prefix: /old-prefix/ }
            route: { cluster: a, prefix_rewrite: /new-prefix/ }
          - name: regex
            match: { safe_regex: { regex: "/items/[0-9]+" } }
            route:
              cluster: a
              regex_rewrite: { pattern: { regex: "^/items/([0-9]+)$" }, substitution: "/v1/items/\\\\1" }
          - name: host
            match: { prefix: /host }
            route: { cluster: a, host_rewrite_literal: rewritten.example }
          - name: headers
            match: { prefix: /headers }
            request_headers_to_add: [{ header: { key: x-route-request, value: route } }]
            request_headers_to_remove: [x-drop-route]
            response_headers_to_add: [{ header: { key: x-route-response, value: route } }]
            response_headers_to_remove: [x-upstream-route]
            route: { cluster: a }
          - name: weighted
            match: { prefix: /weighted }
            route:
              weighted_clusters:
                clusters:
                - { name: a, weight: 1 }
                - name: b
                  weight: 1
                  request_headers_to_add: [{ header: { key: x-picked, value: b } }]
                  response_headers_to_add: [{ header: { key: x-picked, value: b } }]
          - name: by-header
            match: { prefix: /by-header }
            route: { cluster_header: x-pick }
          - name: direct
            match: { path: /direct }
            direct_response: { status: 418, body: { inline_string: "teapot\\n" } }
          - name: redirect
            match: { prefix: /moved/ }
            redirect: { prefix_rewrite: /here/, response_code: PERMANENT_REDIRECT }
          - name: down
            match: { prefix: /down }
            route: { cluster: down }
      """;

  // ---------------------------------------------------------------- clients

  private URI url(String listener, String path) {
    return URI.create("http://127.0.0.1:" + proxy.listenerAddress(listener).getPort() + path);
  }

  private HttpResponse<String> get(String listener, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url(listener, path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private static RecordingUpstream.Received next(RecordingUpstream upstream) throws InterruptedException {
    RecordingUpstream.Received received = upstream.received.poll(20, TimeUnit.SECONDS);
    assertThat(received).as("a request at upstream %s", upstream).isNotNull();
    return received;
  }

  // ---------------------------------------------------------------- a. TLS with ALPN

  @Test
  void h2OverTlsIsNegotiatedByAlpnAndForwardedToAnHttp1Upstream() throws Exception {
    HttpResponse<String> response = overTls("tls-h2", "/app/tls");
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("a /app/tls");
    assertThat(next(a).headers()).containsEntry("x-forwarded-proto", "https");
  }

  @Test
  void aListenerOfferingOnlyHttp1OverTlsAnswersAnH2CapableClientInHttp1() throws Exception {
    HttpResponse<String> response = overTls("tls-h1", "/app/tls-h1");
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.body()).isEqualTo("a /app/tls-h1");
    next(a);
  }

  private HttpResponse<String> overTls(String listener, String path) throws Exception {
    TestPki pki = TestPki.get();
    HttpClient tlsClient =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(pki.jdkClientContext(pki.caPem, null))
            .build();
    URI uri = URI.create("https://127.0.0.1:" + proxy.listenerAddress(listener).getPort() + path);
    return tlsClient.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
  }

  // ---------------------------------------------------------------- b. access logs

  @Test
  void fileAccessLogsGetALinePerRequestInTextAndJson() throws Exception {
    assertThat(get("logged", "/app/logged").statusCode()).isEqualTo(200);
    next(a);
    assertThat(get("logged", "/nowhere").statusCode()).isEqualTo(404);
    assertThat(get("logged", "/down").statusCode()).isEqualTo(503);

    Path text = logs.resolve("text.log");
    Path json = logs.resolve("json.log");
    await().atMost(Duration.ofSeconds(20)).until(() -> lines(text).size() == 3 && lines(json).size() == 3);
    assertThat(lines(text))
        .containsExactly(
            "GET /app/logged 200 - 127.0.0.1:" + a.port() + " a",
            "GET /nowhere 404 NR - -",
            "GET /down 503 UF 127.0.0.1:" + downPort + " down");
    List<String> jsonLines = lines(json);
    // As Envoy's JSON format: a value that is not there is null, not "-".
    assertJsonLine(jsonLines.get(0), "/app/logged", "200", null, "127.0.0.1:" + a.port());
    assertJsonLine(jsonLines.get(1), "/nowhere", "404", "NR", null);
    assertJsonLine(jsonLines.get(2), "/down", "503", "UF", "127.0.0.1:" + downPort);
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private static void assertJsonLine(String line, String path, String status, String flags, String upstream)
      throws IOException {
    JsonNode entry = JSON.readTree(line);
    assertThat(text(entry, "method")).isEqualTo("GET");
    assertThat(text(entry, "path")).isEqualTo(path);
    assertThat(text(entry, "status")).isEqualTo(status);
    assertThat(text(entry, "flags")).isEqualTo(flags);
    assertThat(text(entry, "upstream")).isEqualTo(upstream);
  }

  private static String text(JsonNode entry, String field) {
    assertThat(entry.has(field)).as("%s in %s", field, entry).isTrue();
    return entry.get(field).isNull() ? null : entry.get(field).asText();
  }

  // ---------------------------------------------------------------- c. metrics

  @Test
  void requestMetricsAreServedByTheAdminServer() throws Exception {
    int n = 5;
    for (int i = 0; i < n; i++) {
      assertThat(get("metered", "/app/" + i).statusCode()).isEqualTo(200);
      next(a);
    }
    assertThat(get("metered", "/nowhere").statusCode()).isEqualTo(404);
    assertThat(get("metered", "/down").statusCode()).isEqualTo(503);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String metrics = scrape();
      assertThat(sum(metrics, "outrigger_requests_active", "listener=\"metered\"")).isZero();
      assertThat(sum(metrics, "outrigger_requests_total", "listener=\"metered\"", "code=\"200\"", "route=\"app\""))
          .isEqualTo(n);
      assertThat(sum(metrics, "outrigger_requests_total", "listener=\"metered\"", "code=\"404\"", "flags=\"NR\""))
          .isEqualTo(1);
      assertThat(sum(metrics, "outrigger_requests_total", "listener=\"metered\"", "code=\"503\"", "flags=\"UF\""))
          .isEqualTo(1);
      assertThat(sum(metrics, "outrigger_request_duration_seconds_count", "listener=\"metered\"", "route=\"app\""))
          .isEqualTo(n);
    });
  }

  private String scrape() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + proxy.adminAddress().orElseThrow().getPort() + "/metrics");
    return client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body();
  }

  /** The sum of the samples of {@code metric} whose labels contain every one of {@code labels}. */
  private static double sum(String exposition, String metric, String... labels) {
    Matcher sample = Pattern.compile("(?m)^" + metric + "\\{([^}]*)} (\\S+)$").matcher(exposition);
    double total = 0;
    boolean found = false;
    while (sample.find()) {
      String present = sample.group(1);
      if (List.of(labels).stream().allMatch(present::contains)) {
        total += Double.parseDouble(sample.group(2));
        found = true;
      }
    }
    assertThat(found).as("a sample of %s with %s in:\n%s", metric, List.of(labels), exposition).isTrue();
    return total;
  }

  // ---------------------------------------------------------------- x-forwarded-for

  @Test
  void anEdgeProxyWithATrustedHopAppendsThePeerAndNamesTheClientBehindTheHop() throws Exception {
    get("edge", "/app/edge", "x-forwarded-for", "198.51.100.7, 203.0.113.1");
    RecordingUpstream.Received received = next(a);
    assertThat(received.header("x-forwarded-for")).isEqualTo("198.51.100.7, 203.0.113.1,127.0.0.1");
    assertThat(received.header("x-envoy-external-address")).isEqualTo("203.0.113.1");
    Path log = logs.resolve("edge.log");
    await().atMost(Duration.ofSeconds(20)).until(() -> !lines(log).isEmpty());
    assertThat(lines(log)).containsExactly("203.0.113.1:0 203.0.113.1 127.0.0.1");
  }

  @Test
  void anInnerProxyWithATrustedHopReadsTheClientFromForwardedForAndLeavesItAlone() throws Exception {
    get("inner", "/app/inner", "x-forwarded-for", "198.51.100.7, 203.0.113.1");
    RecordingUpstream.Received received = next(a);
    assertThat(received.header("x-forwarded-for")).isEqualTo("198.51.100.7, 203.0.113.1");
    assertThat(received.headers()).doesNotContainKey("x-envoy-external-address");
    Path log = logs.resolve("inner.log");
    await().atMost(Duration.ofSeconds(20)).until(() -> !lines(log).isEmpty());
    assertThat(lines(log)).containsExactly("198.51.100.7:0 198.51.100.7 127.0.0.1");
  }

  // ---------------------------------------------------------------- d. route features

  @Test
  void prefixRewriteReachesTheUpstream() throws Exception {
    assertThat(get("http", "/old-prefix/x?q=1").body()).isEqualTo("a /new-prefix/x?q=1");
    assertThat(next(a).path()).isEqualTo("/new-prefix/x?q=1");
  }

  @Test
  void regexRewriteReachesTheUpstream() throws Exception {
    assertThat(get("http", "/items/42").body()).isEqualTo("a /v1/items/42");
    next(a);
  }

  @Test
  void hostRewriteLiteralReplacesTheHost() throws Exception {
    get("http", "/host");
    assertThat(next(a).header("host")).isEqualTo("rewritten.example");
  }

  @Test
  void headerMutationsApplyAtRouteVirtualHostAndRouteConfigLevel() throws Exception {
    HttpResponse<String> response =
        get("http", "/headers", "x-drop-config", "1", "x-drop-vhost", "1", "x-drop-route", "1", "x-keep-me", "2");
    RecordingUpstream.Received received = next(a);
    assertThat(received.headers())
        .containsEntry("x-config-request", "config")
        .containsEntry("x-vhost-request", "vhost")
        .containsEntry("x-route-request", "route")
        .containsEntry("x-keep-me", "2")
        .doesNotContainKeys("x-drop-config", "x-drop-vhost", "x-drop-route");
    assertThat(response.headers().firstValue("x-config-response")).hasValue("config");
    assertThat(response.headers().firstValue("x-vhost-response")).hasValue("vhost");
    assertThat(response.headers().firstValue("x-route-response")).hasValue("route");
    assertThat(response.headers().map()).doesNotContainKeys("x-upstream-config", "x-upstream-vhost", "x-upstream-route");
  }

  @Test
  void weightedClustersSpreadRequestsOverBothWithThePickedClustersHeaders() throws Exception {
    Set<String> answeredBy = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> response = get("http", "/weighted");
      String upstream = response.body().substring(0, 1);
      answeredBy.add(upstream);
      RecordingUpstream.Received received = next(upstream.equals("a") ? a : b);
      String picked = upstream.equals("b") ? "b" : null;
      assertThat(received.header("x-picked")).isEqualTo(picked);
      assertThat(response.headers().firstValue("x-picked").orElse(null)).isEqualTo(picked);
    }
    assertThat(answeredBy).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void clusterHeaderNamesTheCluster() throws Exception {
    assertThat(get("http", "/by-header", "x-pick", "b").body()).isEqualTo("b /by-header");
    next(b);
    assertThat(get("http", "/by-header", "x-pick", "a").body()).isEqualTo("a /by-header");
    next(a);
  }

  @Test
  void directResponseIsAnsweredByTheProxy() throws Exception {
    HttpResponse<String> response = get("http", "/direct");
    assertThat(response.statusCode()).isEqualTo(418);
    assertThat(response.body()).isEqualTo("teapot\n");
    assertThat(response.headers().firstValue("x-config-response")).hasValue("config");
    assertThat(a.received).isEmpty();
  }

  @Test
  void redirectRewritesThePrefixIntoLocation() throws Exception {
    HttpResponse<String> response = get("http", "/moved/page?x=1");
    assertThat(response.statusCode()).isEqualTo(308);
    assertThat(response.headers().firstValue("location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/here/page?x=1"));
  }
}
