package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy against OpenSSL, with certificates made by the {@code openssl} command: {@code s_client}
 * against the inbound mTLS listener, and the proxy's upstream mTLS against {@code s_server -Verify}.
 * The proxy's own key is SEC1 ({@code BEGIN EC PRIVATE KEY}), as {@code openssl ec} writes it.
 */
class OpensslInteropTest {
  private static final String INVENTORY = SpiffeMtlsTest.PROXY;
  private static final String CART = SpiffeMtlsTest.CART;
  private static final String BACKEND = SpiffeMtlsTest.CLIENT_PREFIX + "sa/backend";

  static OpensslPki pki;
  static HttpServer app;

  @BeforeAll
  static void certificates(@TempDir Path dir) throws Exception {
    pki = new OpensslPki(dir).leaf("inventory", INVENTORY).leaf("cart", CART).leaf("backend", BACKEND)
        .leaf("stranger", "spiffe://other.org/ns/shop/sa/backend");
    app = SpiffeMtlsTest.okServer();
  }

  @AfterAll
  static void stop() {
    app.stop(0);
  }

  private static Sidecar sidecar(Path dir, int peerPort, String peerId) throws Exception {
    Files.copy(pki.file("inventory.crt"), dir.resolve("cert.pem"));
    Files.copy(pki.file("inventory.sec1.key"), dir.resolve("key.pem"));
    Files.copy(pki.file("root.crt"), dir.resolve("bundle.pem"));
    Sidecar sidecar = Sidecar.start(dir, app.getAddress().getPort(), SpiffeMtlsTest.CLIENT_PREFIX, peerPort, peerId, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.admin("/ready").statusCode() == 200);
    return sidecar;
  }

  @Test
  void sClientWithAnSvidIsServedOverTls13(@TempDir Path dir) throws Exception {
    try (Sidecar sidecar = sidecar(dir, 0, "")) {
      String output = sClient(sidecar.inboundPort(), "-cert", pki.file("cart.crt").toString(),
          "-key", pki.file("cart.key").toString());
      assertThat(output).contains("Protocol version: TLSv1.3", "Verification: OK", "HTTP/1.1 200", "ok");
      await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.accessLog().contains(CART + " 200"));
    }
  }

  @Test
  void sClientWithoutACertificateOrBelowTls12IsRefused(@TempDir Path dir) throws Exception {
    try (Sidecar sidecar = sidecar(dir, 0, "")) {
      assertThat(sClient(sidecar.inboundPort())).doesNotContain("HTTP/1.1");
      await().atMost(Duration.ofSeconds(10))
          .until(() -> sidecar.rejected("downstream", RejectReason.NO_CERTIFICATE) == 1);
      assertThat(sClient(sidecar.inboundPort(), "-tls1_1", "-cert", pki.file("cart.crt").toString(),
          "-key", pki.file("cart.key").toString())).doesNotContain("HTTP/1.1");
    }
  }

  @Test
  void upstreamMtlsToSServerVerifyingTheProxy(@TempDir Path dir) throws Exception {
    int port = freePort();
    Process server = sServer(port, "backend");
    try (Sidecar sidecar = sidecar(dir, port, BACKEND)) {
      HttpClient client = HttpClient.newHttpClient();
      var response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.outboundPort() + "/")).build(),
          BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      // s_server -www answers with its view of the session: the client certificate it verified.
      assertThat(response.body()).contains("TLSv1.3", "openssl inventory");
      assertThat(sidecar.metric("outrigger_identity_peer_validated_total{direction=\"upstream\"}")).isPositive();
      assertThat(sidecar.metric("outrigger_upstream_tls_handshakes_total{cluster=\"peer\",result=\"success\"}"))
          .isPositive();
    } finally {
      server.destroy();
    }
  }

  @Test
  void upstreamOfAnotherTrustDomainIsRefused(@TempDir Path dir) throws Exception {
    int port = freePort();
    Process server = sServer(port, "stranger");
    try (Sidecar sidecar = sidecar(dir, port, BACKEND)) {
      var response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.outboundPort() + "/")).build(),
          BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(sidecar.rejected("upstream", RejectReason.WRONG_TRUST_DOMAIN)).isEqualTo(1);
      assertThat(sidecar.metric("outrigger_upstream_tls_handshakes_total{cluster=\"peer\",result=\"failure\"}"))
          .isEqualTo(1);
      assertThat(sidecar.metric("outrigger_upstream_tls_handshakes_total{cluster=\"peer\",result=\"success\"}"))
          .isZero();
    } finally {
      server.destroy();
    }
  }

  /** {@code s_client} sending one request; its whole output (handshake summary and response). */
  private static String sClient(int port, String... extra) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-CAfile", pki.file("root.crt").toString(), "-verify_return_error", "-brief", "-alpn", "http/1.1",
        "-ign_eof"));
    command.addAll(List.of(extra));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().write("GET /openssl HTTP/1.1\r\nhost: app\r\nconnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().close();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("s_client did not finish");
    }
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** {@code s_server -Verify}: requires a client certificate chaining to the root; answers HTTP. */
  private static Process sServer(int port, String name) throws Exception {
    Process process = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port,
        "-cert", pki.file(name + ".crt").toString(), "-key", pki.file(name + ".key").toString(),
        "-CAfile", pki.file("root.crt").toString(), "-Verify", "2", "-verify_return_error", "-www")
        .redirectErrorStream(true).redirectOutput(pki.file("s_server-" + port + ".log").toFile()).start();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return true;
      }
    });
    return process;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
