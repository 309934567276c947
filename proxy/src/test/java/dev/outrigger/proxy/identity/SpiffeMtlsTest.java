package dev.outrigger.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mTLS with SPIFFE validation through a real proxy: its identity from PEM files, clients with
 * certificates made by BouncyCastle, each refusal counted by reason and the accepted peer's
 * SPIFFE ID in the access log.
 */
class SpiffeMtlsTest {
  static final String TRUST_DOMAIN = "spiffe://example.org";
  static final String CLIENT_PREFIX = TRUST_DOMAIN + "/ns/shop/";
  static final String CART = CLIENT_PREFIX + "sa/cart";
  static final String PROXY = CLIENT_PREFIX + "sa/inventory";

  static final SvidPki.Ca ROOT = SvidPki.Ca.create("example.org root");
  static HttpServer app;
  static Sidecar sidecar;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    app = okServer();
    ROOT.issue(PROXY).write(dir, ROOT);
    sidecar = Sidecar.start(dir, app.getAddress().getPort(), CLIENT_PREFIX, 0, "");
    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.admin("/ready").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    sidecar.close();
    app.stop(0);
  }

  static HttpServer okServer() throws IOException {
    // The JDK server writes headers and body apart: without this, Nagle and delayed ACKs add 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  @Test
  void aClientOfTheTrustDomainGetsThroughAndIsLoggedByItsSpiffeId() throws Exception {
    MtlsClient client = new MtlsClient(ROOT.issue(CART), List.of(ROOT.certificate()));
    assertThat(client.get(sidecar.inboundPort(), "/hello")).startsWith("HTTP/1.1 200").endsWith("ok");
    assertThat(client.serverCertificate(sidecar.inboundPort()).getSubjectAlternativeNames())
        .anySatisfy(name -> assertThat(name.get(1)).isEqualTo(PROXY));
    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.accessLog().contains(CART + " 200"));
    assertThat(sidecar.metric("outrigger_identity_peer_validated_total{direction=\"downstream\"}")).isPositive();
  }

  @Test
  void wrongTrustDomain() throws Exception {
    assertRefused(ROOT.issue("spiffe://other.org/ns/shop/sa/cart"), RejectReason.WRONG_TRUST_DOMAIN);
  }

  @Test
  void twoUriSans() throws Exception {
    assertRefused(ROOT.issue(CART, CLIENT_PREFIX + "sa/payments"), RejectReason.MULTIPLE_URI_SANS);
  }

  @Test
  void noUriSan() throws Exception {
    assertRefused(ROOT.issue(), RejectReason.NO_URI_SAN);
  }

  @Test
  void expiredLeaf() throws Exception {
    Instant now = Instant.now();
    assertRefused(ROOT.leaf().uris(CART).validity(now.minus(Duration.ofHours(2)), now.minus(Duration.ofMinutes(1))).issue(),
        RejectReason.EXPIRED);
  }

  @Test
  void untrustedRoot() throws Exception {
    assertRefused(SvidPki.Ca.create("impostor root").issue(CART), RejectReason.UNTRUSTED_CHAIN);
  }

  @Test
  void aCaCertificateAsLeaf() throws Exception {
    assertRefused(ROOT.leaf().uris(CART).ca().issue(), RejectReason.LEAF_IS_CA);
  }

  @Test
  void anIdOutsideTheMatchers() throws Exception {
    assertRefused(ROOT.issue(TRUST_DOMAIN + "/ns/bank/sa/teller"), RejectReason.SAN_NOT_MATCHED);
  }

  @Test
  void noClientCertificate() throws Exception {
    assertRefused(null, RejectReason.NO_CERTIFICATE);
  }

  @Test
  void certsReportsTheIdentityAndTheBundle() throws Exception {
    String certs = sidecar.admin("/certs").body();
    assertThat(certs).contains("\"spiffe_id\" : \"" + PROXY + "\"", "\"not_after\"", "\"sha256_fingerprint\"",
        ROOT.certificate().getSerialNumber().toString(16));
    assertThat(sidecar.metric("outrigger_identity_certificate_expiry_seconds"))
        .isGreaterThan(Instant.now().getEpochSecond());
  }

  private static void assertRefused(SvidPki.Leaf certificate, RejectReason reason) throws Exception {
    double before = sidecar.rejected("downstream", reason);
    MtlsClient client = new MtlsClient(certificate, List.of(ROOT.certificate()));
    String response;
    try {
      response = client.get(sidecar.inboundPort(), "/refused");
    } catch (IOException refused) {
      response = "";
    }
    assertThat(response).as(reason.label()).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.rejected("downstream", reason) == before + 1);
  }
}
