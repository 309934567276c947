package dev.outrigger.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.config.CertificateKeyPair;
import dev.outrigger.proxy.tls.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code envoy.filters.network.rbac} in front of {@code tcp_proxy} (and of a connection manager),
 * through a real proxy over mTLS: the allowed SPIFFE ID reaches the echo upstream, any other is
 * closed before the upstream is dialled, and both are counted and access-logged with the peer's
 * identity.
 */
class NetworkRbacProxyTest {
  private static final String CART = "spiffe://test/ns/default/sa/client";
  private static final String INTRUDER = "spiffe://test/ns/default/sa/intruder";

  @TempDir Path dir;
  private final TestPki pki = TestPki.get();
  private EchoServer upstream;
  private Proxy proxy;
  private Path accessLog;

  @BeforeEach
  void start() throws Exception {
    upstream = new EchoServer();
    accessLog = dir.resolve("access.log");
    proxy = Proxy.start(BootstrapLoader.loadYaml(bootstrap(upstream.port(), accessLog)), 1);
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    upstream.close();
  }

  @Test
  void theAllowedSpiffeIdIsProxied() throws Exception {
    try (SSLSocket socket = connect(pki.client)) {
      socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readLine(socket.getInputStream())).isEqualTo("ping");
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Files.readString(accessLog)).contains(CART + " - echo"));
    assertThat(metrics())
        .contains("outrigger_rbac_allowed_total{filter=\"network\",policy=\"cart\",stat_prefix=\"inbound\"} 1.0")
        .contains("outrigger_rbac_shadow_denied_total{filter=\"network\",policy=\"dry-run\",stat_prefix=\"inbound\"} 1.0");
  }

  @Test
  void anotherSpiffeIdIsClosedBeforeTheUpstreamIsDialled() throws Exception {
    try (SSLSocket socket = connect(SpiffeCertificates.client(INTRUDER).pem())) {
      assertThat(closedByPeer(socket)).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Files.readString(accessLog)).contains(INTRUDER + " rbac_access_denied_matched_policy[none] -"));
    assertThat(upstream.accepted()).isZero();
    assertThat(metrics())
        .contains("outrigger_rbac_denied_total{filter=\"network\",policy=\"none\",stat_prefix=\"inbound\"} 1.0")
        .contains("outrigger_rbac_shadow_allowed_total{filter=\"network\",policy=\"none\",stat_prefix=\"inbound\"} 1.0");
  }

  @Test
  void inFrontOfTheConnectionManagerOnlyTheAllowedIdGetsToMakeRequests() throws Exception {
    assertThat(https(pki.client).body()).isEqualTo("hello");
    assertThatThrownBy(() -> https(SpiffeCertificates.client(INTRUDER).pem())).isInstanceOf(IOException.class);
    assertThat(metrics())
        .contains("outrigger_rbac_allowed_total{filter=\"network\",policy=\"cart\",stat_prefix=\"http\"} 1.0")
        .contains("outrigger_rbac_denied_total{filter=\"network\",policy=\"none\",stat_prefix=\"http\"} 1.0");
  }

  private HttpResponse<String> https(CertificateKeyPair client) throws Exception {
    InetSocketAddress address = proxy.listenerAddress("http");
    return HttpClient.newBuilder().sslContext(pki.jdkClientContext(pki.caPem, client)).build().send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + address.getPort() + "/")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRulesAreInTheConfigDump() throws Exception {
    assertThat(admin("/config_dump"))
        .contains("\"rbac_filters\"", "\"stat_prefix\" : \"inbound\"", "\"@type\" : \"Authenticated\"",
            "\"expected\" : \"" + CART + "\"", "\"@type\" : \"Any\"");
  }

  private SSLSocket connect(CertificateKeyPair client) throws Exception {
    InetSocketAddress address = proxy.listenerAddress("inbound");
    SSLSocket socket = (SSLSocket) pki.jdkClientContext(pki.caPem, client).getSocketFactory()
        .createSocket(address.getAddress(), address.getPort());
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  /** The proxy closed the connection: end of stream, or a TLS alert / reset on the way. */
  private static boolean closedByPeer(SSLSocket socket) {
    try {
      socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
      return socket.getInputStream().read() == -1;
    } catch (IOException closed) {
      return true;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n' && c != -1; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  private String metrics() throws Exception {
    return admin("/metrics");
  }

  private String admin(String path) throws Exception {
    InetSocketAddress admin = proxy.adminAddress().orElseThrow();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private String bootstrap(int upstreamPort, Path log) {
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
                    tls_certificates:
                    - certificate_chain: { filename: %s }
                      private_key: { filename: %s }
                    validation_context:
                      trusted_ca: { filename: %s }
              filters:
              - name: envoy.filters.network.rbac
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                  stat_prefix: inbound
                  rules:
                    action: ALLOW
                    policies:
                      cart:
                        permissions: [{ any: true }]
                        principals: [{ authenticated: { principal_name: { exact: "%s" } } }]
                  shadow_rules:
                    action: DENY
                    policies:
                      dry-run:
                        permissions: [{ any: true }]
                        principals: [{ authenticated: { principal_name: { exact: "%s" } } }]
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: inbound
                  cluster: echo
                  access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: %s
                      log_format:
                        text_format_source:
                          inline_string: "%%DOWNSTREAM_PEER_URI_SAN%% %%CONNECTION_TERMINATION_DETAILS%% %%UPSTREAM_CLUSTER%%\\n"
          - name: http
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  require_client_certificate: true
                  common_tls_context:
                    tls_certificates:
                    - certificate_chain: { filename: %s }
                      private_key: { filename: %s }
                    validation_context:
                      trusted_ca: { filename: %s }
              filters:
              - name: envoy.filters.network.rbac
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                  stat_prefix: http
                  rules:
                    policies:
                      cart:
                        permissions: [{ any: true }]
                        principals: [{ authenticated: { principal_name: { exact: "%s" } } }]
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: http
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        direct_response: { status: 200, body: { inline_string: hello } }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
          clusters:
          - name: echo
            type: STATIC
            load_assignment:
              cluster_name: echo
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        """.formatted(pki.file("server.crt"), pki.file("server.key"), pki.file("ca.crt"), CART, CART, log,
        pki.file("server.crt"), pki.file("server.key"), pki.file("ca.crt"), CART, upstreamPort);
  }

  /** Echoes every byte back, one thread per connection; counts the connections it accepted. */
  private static final class EchoServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    private final AtomicInteger accepted = new AtomicInteger();

    EchoServer() throws IOException {
      Thread acceptor = new Thread(this::serve, "echo-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          accepted.incrementAndGet();
          Thread echo = new Thread(() -> echo(socket), "echo");
          echo.setDaemon(true);
          echo.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private static void echo(Socket socket) {
      try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException ignored) {
        // The test closed its side; nothing to echo any more.
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
