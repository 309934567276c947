package dev.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.outrigger.proxy.Proxy;
import dev.outrigger.proxy.authz.SpiffeCertificates;
import dev.outrigger.proxy.bootstrap.BootstrapLoader;
import dev.outrigger.proxy.bootstrap.ConfigException;
import dev.outrigger.proxy.tls.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code x-forwarded-client-cert} through a real proxy: an mTLS client (and a plaintext one) with a
 * forged header, an upstream that answers with the header it received.
 */
class ClientCertHeaderTest {
  private static final String SERVER_ID = "spiffe://test/ns/default/sa/server";
  private static final String CLIENT_ID = "spiffe://test/ns/default/sa/client";
  private static final String FORGED = "By=spiffe://evil;URI=spiffe://test/ns/default/sa/admin";
  private static final String NONE = "<none>";

  private final TestPki pki = TestPki.get();
  private HttpServer upstream;
  private Proxy proxy;

  @BeforeEach
  void startUpstream() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", exchange -> {
      List<String> received = exchange.getRequestHeaders().get("x-forwarded-client-cert");
      byte[] body = (received == null ? NONE : String.join("\n", received)).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    upstream.start();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    upstream.stop(0);
  }

  @Test
  void sanitizeSetReplacesAForgedHeaderWithThisHopsElement() throws Exception {
    start("SANITIZE_SET", "{ subject: true, uri: true, dns: true, cert: true, chain: true }");

    String xfcc = mtls(FORGED);

    String clientPem = pki.client.certificateChainPem();
    assertThat(xfcc).startsWith("By=" + SERVER_ID + ";Hash=" + sha256Hex(clientPem) + ";Subject=\"CN=client\";Cert=\"")
        .endsWith("\";URI=" + CLIENT_ID)
        .doesNotContain("evil")
        .doesNotContain("DNS=");
    String cert = between(xfcc, "Cert=\"", "\"");
    String chain = between(xfcc, "Chain=\"", "\"");
    assertThat(cert).doesNotContain("\n", " ", "/", "+", "=");
    assertThat(certificate(URLDecoder.decode(cert, StandardCharsets.UTF_8))).isEqualTo(certificate(clientPem));
    assertThat(URLDecoder.decode(chain, StandardCharsets.UTF_8)).startsWith(URLDecoder.decode(cert, StandardCharsets.UTF_8));
  }

  @Test
  void appendForwardAddsThisHopsElementAfterTheReceivedOnes() throws Exception {
    start("APPEND_FORWARD", "{ uri: true }");

    assertThat(mtls(FORGED))
        .isEqualTo(FORGED + ",By=" + SERVER_ID + ";Hash=" + sha256Hex(pki.client.certificateChainPem()) + ";URI=" + CLIENT_ID);
    assertThat(mtls(null)).isEqualTo("By=" + SERVER_ID + ";Hash=" + sha256Hex(pki.client.certificateChainPem())
        + ";URI=" + CLIENT_ID);
  }

  @Test
  void sanitizeByDefaultRemovesTheHeader() throws Exception {
    start(null, null);
    assertThat(mtls(FORGED)).isEqualTo(NONE);
    assertThat(plaintext(FORGED)).isEqualTo(NONE);
  }

  @Test
  void forwardOnlyKeepsTheHeaderOnMtlsOnly() throws Exception {
    start("FORWARD_ONLY", null);
    assertThat(mtls(FORGED)).isEqualTo(FORGED);
    assertThat(plaintext(FORGED)).isEqualTo(NONE);
  }

  @Test
  void nonMtlsConnectionsNeverGetAnElement() throws Exception {
    start("SANITIZE_SET", "{ uri: true }");
    assertThat(plaintext(FORGED)).isEqualTo(NONE);
  }

  @Test
  void alwaysForwardOnlyKeepsTheHeaderEvenWithoutMtls() throws Exception {
    start("ALWAYS_FORWARD_ONLY", null);
    assertThat(mtls(FORGED)).isEqualTo(FORGED);
    assertThat(plaintext(FORGED)).isEqualTo(FORGED);
  }

  @Test
  void detailsWithoutAModeThatWritesThemAreRejected() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> BootstrapLoader.loadYaml(bootstrap("FORWARD_ONLY", "{ uri: true }")));
    assertThat(e.errors()).extracting(Object::toString).contains("static_resources.listeners[0].filter_chains[0]"
        + ".filters[0].typed_config.set_current_client_cert_details: has no effect unless forward_client_cert_details "
        + "is APPEND_FORWARD or SANITIZE_SET (it is FORWARD_ONLY)");
  }

  @Test
  void valuesWithSeparatorsAreQuotedAndTheirQuotesEscaped() {
    assertThat(ClientCertHeader.value("spiffe://a/b")).isEqualTo("spiffe://a/b");
    assertThat(ClientCertHeader.value("a;b=\"c\"")).isEqualTo("\"a;b=\\\"c\\\"\"");
  }

  private void start(String mode, String details) throws Exception {
    proxy = Proxy.start(BootstrapLoader.loadYaml(bootstrap(mode, details)), 1);
  }

  private String mtls(String forged) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(pki.jdkClientContext(pki.caPem, pki.client)).build();
    return get(client, "https", proxy.listenerAddress("mtls"), forged);
  }

  private String plaintext(String forged) throws Exception {
    return get(HttpClient.newHttpClient(), "http", proxy.listenerAddress("plain"), forged);
  }

  private static String get(HttpClient client, String scheme, InetSocketAddress address, String forged) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + address.getPort() + "/"))
        .timeout(Duration.ofSeconds(10));
    if (forged != null) {
      request.header("x-forwarded-client-cert", forged);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private String bootstrap(String mode, String details) {
    SpiffeCertificates.Issued server = SpiffeCertificates.server(SERVER_ID);
    String hcm = """
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: inbound
                  %s
                  %s
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: { prefix: / }
                        route: { cluster: app }
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
        """.formatted(
            mode == null ? "" : "forward_client_cert_details: " + mode,
            details == null ? "" : "set_current_client_cert_details: " + details);
    return """
        static_resources:
          listeners:
          - name: mtls
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
        %s
          - name: plain
            address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            filter_chains:
            - filters:
        %s
          clusters:
          - name: app
            load_assignment:
              cluster_name: app
              endpoints:
              - lb_endpoints:
                - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: %d } } }
        """.formatted(server.certificateFile(), server.keyFile(), pki.file("ca.crt"), hcm, hcm,
        upstream.getAddress().getPort());
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String sha256Hex(String pem) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate(pem).getEncoded()));
  }
}
