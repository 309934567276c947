package dev.outrigger.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.tls.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code envoy.filters.http.rbac} in a connection manager's {@code http_filters}, through a real
 * proxy over mTLS: the caller's SPIFFE ID, the method and the path decide; a route's {@code
 * RBACPerRoute} switches the filter off or replaces its rules; shadow rules only count; a denial
 * is 403 (gRPC: PERMISSION_DENIED), counted, and access-logged with the peer and the matched policy.
 */
class HttpRbacProxyTest {
  private static final String CART = "spiffe://test/ns/default/sa/client";
  private static final String INTRUDER = "spiffe://test/ns/default/sa/intruder";
  private static final String RBAC_PER_ROUTE =
      "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute";

  @TempDir Path dir;
  private final TestPki pki = TestPki.get();
  private final AtomicInteger appRequests = new AtomicInteger();
  private HttpServer app;
  private Proxy proxy;
  private Path accessLog;

  @BeforeEach
  void start() throws Exception {
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/", exchange -> {
      appRequests.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      byte[] body = ("ok " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    app.start();
    accessLog = dir.resolve("access.log");
    proxy = Proxy.start(BootstrapLoader.loadYaml(bootstrap(app.getAddress().getPort(), accessLog)), 1);
  }

  @AfterEach
  void stop() {
    proxy.close();
    app.stop(0);
  }

  @Test
  void theAllowedSpiffeIdReadsTheApi() throws Exception {
    HttpResponse<String> response = send(pki.client, "GET", "/api/items");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok /api/items");
    assertThat(metrics()).contains(
        "outrigger_rbac_allowed_total{filter=\"http\",policy=\"cart-reads\",stat_prefix=\"inbound\"} 1.0");
    awaitLogLine(CART + " GET /api/items 200 -");
  }

  @Test
  void anotherSpiffeIdIsRefusedWith403BeforeTheApp() throws Exception {
    HttpResponse<String> response = send(intruder(), "GET", "/api/items");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("RBAC: access denied");
    assertThat(appRequests).hasValue(0);
    assertThat(metrics()).contains(
        "outrigger_rbac_denied_total{filter=\"http\",policy=\"none\",stat_prefix=\"inbound\"} 1.0");
    awaitLogLine(INTRUDER + " GET /api/items 403 rbac_access_denied_matched_policy[none]");
  }

  @Test
  void theMethodAndThePathDecideToo() throws Exception {
    assertThat(send(pki.client, "POST", "/api/items").statusCode()).isEqualTo(403);
    assertThat(send(pki.client, "GET", "/admin").statusCode()).isEqualTo(403);
    assertThat(send(pki.client, "GET", "/api/items?page=2").statusCode()).isEqualTo(200);
    assertThat(appRequests).hasValue(1);
  }

  @Test
  void aRoutesRbacPerRouteWithoutRulesSwitchesTheFilterOff() throws Exception {
    HttpResponse<String> response = send(intruder(), "POST", "/public/form");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok /public/form");
  }

  @Test
  void aRoutesRbacPerRouteReplacesTheRulesAndNamesItsPolicy() throws Exception {
    // The filter's own rules would let the cart read this; the route's DENY rules do not.
    HttpResponse<String> response = send(pki.client, "GET", "/api/internal/keys");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(metrics()).contains(
        "outrigger_rbac_denied_total{filter=\"http\",policy=\"no-internal\",stat_prefix=\"inbound\"} 1.0");
    awaitLogLine(CART + " GET /api/internal/keys 403 rbac_access_denied_matched_policy[no-internal]");
  }

  @Test
  void directResponsesAndRedirectsAreGuardedToo() throws Exception {
    HttpResponse<String> health = send(intruder(), "GET", "/health");
    assertThat(health.statusCode()).isEqualTo(403);
    assertThat(health.body()).isEqualTo("RBAC: access denied");
    assertThat(send(intruder(), "GET", "/old").statusCode()).isEqualTo(403);
    awaitLogLine(INTRUDER + " GET /health 403 rbac_access_denied_matched_policy[none]");
  }

  @Test
  void shadowRulesAreCountedButNotEnforced() throws Exception {
    HttpResponse<String> response = send(pki.client, "GET", "/api/shadow");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(metrics())
        .contains("outrigger_rbac_shadow_denied_total{filter=\"http\",policy=\"dry-run\",stat_prefix=\"inbound\"} 1.0")
        .contains("outrigger_rbac_allowed_total{filter=\"http\",policy=\"cart-reads\",stat_prefix=\"inbound\"} 1.0");
  }

  @Test
  void aDeniedGrpcCallGetsPermissionDenied() throws Exception {
    SpiffeCertificates.Issued intruder = SpiffeCertificates.client(INTRUDER);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.listenerAddress("inbound").getPort())
        .sslContext(GrpcSslContexts.forClient()
            .trustManager(pki.file("ca.crt").toFile())
            .keyManager(intruder.certificateFile().toFile(), intruder.keyFile().toFile())
            .build())
        .build();
    try {
      StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
          () -> SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
              .unaryRpc(SimpleRequest.getDefaultInstance()));
      assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(failure.getStatus().getDescription()).isEqualTo("RBAC: access denied");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(appRequests).hasValue(0);
  }

  private CertificateKeyPair intruder() {
    return SpiffeCertificates.client(INTRUDER).pem();
  }

  private HttpResponse<String> send(CertificateKeyPair client, String method, String path) throws Exception {
    int port = proxy.listenerAddress("inbound").getPort();
    HttpRequest.BodyPublisher body = method.equals("GET")
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("x");
    return HttpClient.newBuilder().sslContext(pki.jdkClientContext(pki.caPem, client)).build().send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).method(method, body)
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitLogLine(String line) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Files.readString(accessLog).lines()).contains(line));
  }

  private String metrics() throws Exception {
    InetSocketAddress admin = proxy.adminAddress().orElseThrow();
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private String bootstrap(int appPort, Path log) {
    return """
        admin:
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
        static_resources:
          listeners:
          - name: inbound
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  require_client_certificate: true
                  common_tls_context:
                    alpn_protocols: [h2, http/1.1]
                    tls_certificates:
                    - certificate_chain: { filename: %1$s }
                      private_key: { filename: %2$s }
                    validation_context:
                      trusted_ca: { filename: %3$s }
              filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: inbound
                  access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: %4$s
                      log_format:
                        text_format_source:
                          inline_string: "%%DOWNSTREAM_PEER_URI_SAN%% %%REQ(:METHOD)%% %%REQ(:PATH)%% %%RESPONSE_CODE%% %%RESPONSE_CODE_DETAILS%%\\n"
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: /public/ }
                        route: { cluster: app }
                        typed_per_filter_config:
                          rbac: { "@type": %5$s }
                      - match: { prefix: /api/internal/ }
                        route: { cluster: app }
                        typed_per_filter_config:
                          rbac:
                            "@type": %5$s
                            rbac:
                              rules:
                                action: DENY
                                policies:
                                  no-internal:
                                    permissions: [{ any: true }]
                                    principals: [{ authenticated: {} }]
                      - match: { path: /health }
                        direct_response: { status: 200, body: { inline_string: healthy } }
                      - match: { path: /old }
                        redirect: { path_redirect: /new }
                      - match: { prefix: / }
                        route: { cluster: app }
                  http_filters:
                  - name: rbac
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                      rules:
                        action: ALLOW
                        policies:
                          cart-reads:
                            permissions:
                            - and_rules:
                                rules:
                                - header: { name: ":method", string_match: { exact: GET } }
                                - url_path: { path: { prefix: /api/ } }
                            principals: [{ authenticated: { principal_name: { exact: "%6$s" } } }]
                      shadow_rules:
                        action: DENY
                        policies:
                          dry-run:
                            permissions: [{ url_path: { path: { exact: /api/shadow } } }]
                            principals: [{ any: true }]
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
          clusters:
          - name: app
            type: STATIC
            load_assignment:
              cluster_name: app
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %7$d } } }
        """.formatted(pki.file("server.crt"), pki.file("server.key"), pki.file("ca.crt"), log, RBAC_PER_ROUTE,
        CART, appPort);
  }
}
