package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity part of the mesh end to end, every part its own process: the control plane (CA),
 * a caller sidecar (cart) and a callee sidecar (inventory) started with {@code --identity ca} and
 * join tokens from {@code outrigger ctl token create}, the callee's app in this JVM. Every hop
 * between the sidecars is mTLS checked by SPIFFE ID; the callee authorizes with RBAC and tells its
 * app who called. The root rotation runs last: it changes the CA for good.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshIdentityTest {
  private static final String TRUST_DOMAIN = "e2e.test";
  private static final String SHOP = "spiffe://" + TRUST_DOMAIN + "/ns/shop/";
  private static final String CART = SHOP + "sa/cart";
  private static final String INVENTORY = SHOP + "sa/inventory";
  private static final String INTRUDER = SHOP + "sa/intruder";
  /** Short enough that leaves renew every few seconds (at half the lifetime, plus jitter). */
  private static final String LEAF_TTL = "6s";
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Stops the control plane after the sidecars (extensions end in reverse order), so they never lose their CA. */
  @RegisterExtension
  @Order(1)
  static final AfterAllCallback stopControlPlane = context -> {
    if (MeshIdentityTest.controlPlane != null) {
      MeshIdentityTest.controlPlane.close();
    }
  };

  @RegisterExtension
  @Order(2)
  static final ProxyProcesses proxies = new ProxyProcesses();
  @TempDir static Path dir;

  private static ControlPlaneProcess controlPlane;
  private static HttpServer app;
  private static ExecutorService appThreads;
  private static MeshSidecars.Sidecar inventory;
  private static MeshSidecars.Sidecar cart;
  private static Path inventoryLog;
  private static Map<String, Path> tokens;

  @BeforeAll
  static void startMesh() throws Exception {
    Path logs = Path.of(System.getProperty("outrigger.e2e.logs", "target/proxy-logs"));
    controlPlane = ControlPlaneProcess.start(dir.resolve("state"), logs.resolve("MeshIdentityTest-control-plane.log"),
        "--trust-domain", TRUST_DOMAIN, "--default-ttl", LEAF_TTL, "--max-ttl", "1m");
    app = whoamiApp();
    inventoryLog = dir.resolve("inventory-access.log");
    inventory = MeshSidecars.callee(app.getAddress().getPort(), SHOP, CART, inventoryLog);
    cart = MeshSidecars.caller(inventory, INVENTORY);
    // ctl takes the state directory's lock: the three may run at once.
    tokens = Stream.of("cart", "inventory", "intruder").parallel()
        .collect(Collectors.toMap(Function.identity(), MeshIdentityTest::token));
    proxies.start(inventory.yaml(), inventory.adminAddress(), identity("inventory", INVENTORY));
    proxies.start(cart.yaml(), cart.adminAddress(), identity("cart", CART));
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.stop(0);
      appThreads.shutdownNow();
    }
  }

  @Test
  @Order(1)
  void onlyTheCallerTheCalleeAllowsGetsThroughRbac() throws Exception {
    HttpResponse<String> allowed = throughCart("/orders", Map.of());
    assertThat(allowed.statusCode()).isEqualTo(200);

    try (CaIssuedClient intruder = CaIssuedClient.obtain(controlPlane, tokens.get("intruder"), INTRUDER)) {
      String denied = intruder.exchange(inventory.http(), get("/orders", ""));
      assertThat(denied).startsWith("HTTP/1.1 403 ").endsWith("RBAC: access denied");
      // Network RBAC on the TCP listener: closed before the app is dialled, without an answer.
      assertThat(intruder.exchange(inventory.tcp(), get("/orders", ""))).isEmpty();
    }
    String metrics = admin(inventory, "/metrics");
    assertThat(sample(metrics, "outrigger_rbac_allowed_total{filter=\"http\",policy=\"caller\",stat_prefix=\"inbound\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(sample(metrics, "outrigger_rbac_denied_total{filter=\"http\",policy=\"none\",stat_prefix=\"inbound\"}"))
        .isEqualTo(1);
    assertThat(sample(metrics, "outrigger_rbac_denied_total{filter=\"network\",policy=\"none\",stat_prefix=\"inbound-tcp\"}"))
        .isEqualTo(1);
    await().atMost(STEP_TIMEOUT).untilAsserted(() -> assertThat(Files.readString(inventoryLog).lines())
        .contains(INTRUDER + " /orders 403 rbac_access_denied_matched_policy[none]", CART + " /orders 200 -"));
  }

  @Test
  @Order(2)
  void theAppLearnsTheCallerFromXfccAndAForgedHeaderIsReplaced() throws Exception {
    String forged = "By=spiffe://evil/x;URI=" + SHOP + "sa/admin";

    HttpResponse<String> viaCart = throughCart("/whoami", Map.of("x-forwarded-client-cert", forged));
    assertThat(viaCart.statusCode()).isEqualTo(200);
    assertThat(viaCart.body()).startsWith("By=" + INVENTORY + ";Hash=").endsWith(";URI=" + CART);

    try (CaIssuedClient intruder = CaIssuedClient.obtain(controlPlane, tokens.get("intruder"), INTRUDER)) {
      String direct = intruder.exchange(inventory.http(), get("/whoami", "x-forwarded-client-cert: " + forged + "\r\n"));
      assertThat(direct).startsWith("HTTP/1.1 200 ").endsWith(";URI=" + INTRUDER).doesNotContain("evil", "sa/admin");
    }
  }

  /**
   * Follows docs/identity.md's procedure while a client keeps calling through the pair, over one
   * HTTP/2 connection between the sidecars and over a new TCP+TLS connection per request: the
   * leaves renew every ~3 s throughout, the root rotates once. Nothing may fail.
   */
  @Test
  @Order(3)
  void rotatingLeavesAndTheRootUnderLoadFailsNoRequest() throws Exception {
    double updatesBefore = Math.min(updates(cart), updates(inventory));
    PairLoad load = PairLoad.start(cart);
    try {
      load.awaitMore(20);

      // 1. Prepare: the bundle gets the new root; each sidecar learns it at its next renewal.
      String newRoot = root(controlPlane.ctl("ca", "rotate", "prepare").ok(), "PREPARED").subject();
      awaitCerts("both roots in the bundles", certs -> certs.get("bundle").size() == 2);
      load.awaitMore(20);

      // 2. Activate: renewals are signed by the new root.
      controlPlane.ctl("ca", "rotate", "activate").ok();
      awaitCerts("leaves issued by the new root", certs -> certs.get("issuer").asText().equals(newRoot));
      load.awaitMore(20);

      // 3. Retire once the old root's last leaf has expired (ctl refuses it before).
      Instant oldLeavesExpire = Instant.parse(root(controlPlane.ctl("ca", "status").ok(), "PREVIOUS").issuedUntil());
      await("the old root's last leaf to expire").atMost(STEP_TIMEOUT).until(() -> Instant.now().isAfter(oldLeavesExpire));
      controlPlane.ctl("ca", "rotate", "retire").ok();
      awaitCerts("only the new root in the bundles", certs -> certs.get("bundle").size() == 1
          && certs.get("bundle").get(0).get("subject").asText().equals(newRoot));
      double handshakesAfterRetire = handshakes(inventory, "inbound-tcp", "success");
      double callerHandshakesAfterRetire = upstreamHandshakes("callee-tcp", "success");
      load.awaitMore(20);

      load.stop();
      assertThat(load.failures).as("failed requests").isEmpty();
      // New handshakes went on after the old root was gone from the callee's bundle: the caller
      // presents its new-root leaf. None failed on either listener.
      assertThat(handshakes(inventory, "inbound-tcp", "success")).isGreaterThan(handshakesAfterRetire);
      assertThat(upstreamHandshakes("callee-tcp", "success")).isGreaterThan(callerHandshakesAfterRetire);
      assertThat(handshakes(inventory, "inbound", "failure")).isZero();
      assertThat(handshakes(inventory, "inbound-tcp", "failure")).isZero();
      assertThat(upstreamHandshakes("callee", "failure")).isZero();
      assertThat(upstreamHandshakes("callee-tcp", "failure")).isZero();
      assertThat(load.callerIdentities).containsOnly("URI=" + CART);
      // Each step waited for a renewal, and the old root's leaves for their expiry: the leaves
      // rotated several times under load.
      assertThat(Math.min(updates(cart), updates(inventory)) - updatesBefore).isGreaterThanOrEqualTo(4);
    } finally {
      load.stop();
    }
  }

  private static String[] identity(String serviceAccount, String spiffeId) {
    return new String[] {"--identity", "ca", "--ca-address", controlPlane.caAddress(),
        "--ca-bundle", controlPlane.bundle().toString(), "--join-token-file", tokens.get(serviceAccount).toString(),
        "--spiffe-id", spiffeId, "--certificate-ttl", LEAF_TTL};
  }

  /** A join token from {@code outrigger ctl token create}, in a file of its own. */
  private static Path token(String serviceAccount) {
    try {
      String token = controlPlane.ctl("token", "create", "--namespace", "shop", "--service-account", serviceAccount).ok();
      return Files.writeString(Files.createTempFile(dir, serviceAccount, ".token"), token.strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Answers every request with the {@code x-forwarded-client-cert} it got ("-" without one). */
  private static HttpServer whoamiApp() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    appThreads = Executors.newCachedThreadPool();
    server.setExecutor(appThreads);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String xfcc = exchange.getRequestHeaders().getFirst("x-forwarded-client-cert");
      byte[] body = (xfcc == null ? "-" : xfcc).getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static HttpResponse<String> throughCart(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cart.http() + path))
        .timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }

  private static String get(String path, String headers) {
    return "GET " + path + " HTTP/1.1\r\nhost: inventory\r\n" + headers + "connection: close\r\n\r\n";
  }

  private static String admin(MeshSidecars.Sidecar sidecar, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.admin() + path)).build(),
        BodyHandlers.ofString()).body();
  }

  /** The value of the sample (name and labels, as Prometheus prints them), 0 when absent. */
  private static double sample(String metrics, String sample) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  private static double handshakes(MeshSidecars.Sidecar sidecar, String listener, String result) throws Exception {
    return sample(admin(sidecar, "/metrics"),
        "outrigger_tls_handshakes_total{listener=\"" + listener + "\",result=\"" + result + "\"}");
  }

  /** Identities the sidecar's source delivered and the sidecar took. */
  private static double updates(MeshSidecars.Sidecar sidecar) throws Exception {
    return sample(admin(sidecar, "/metrics"), "outrigger_identity_updates_total{result=\"applied\"}");
  }

  /** Waits until both sidecars' {@code GET /certs} satisfy {@code condition}. */
  /** The caller's handshakes with the callee, as TLS client. */
  private static double upstreamHandshakes(String cluster, String result) throws Exception {
    return sample(admin(cart, "/metrics"),
        "outrigger_upstream_tls_handshakes_total{cluster=\"" + cluster + "\",result=\"" + result + "\"}");
  }

  private static void awaitCerts(String what, CertsCondition condition) {
    await(what).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
        condition.holds(JSON.readTree(admin(cart, "/certs"))) && condition.holds(JSON.readTree(admin(inventory, "/certs"))));
  }

  @FunctionalInterface
  private interface CertsCondition {
    boolean holds(JsonNode certs);
  }

  /** One root of {@code ctl ca status}. */
  private record Root(String subject, String issuedUntil) {}

  /** The root in {@code phase} in {@code ctl ca status}'s output (docs/identity.md shows its shape). */
  private static Root root(String status, String phase) {
    Matcher matcher = Pattern.compile("root \\S+  " + phase + ".*\\n  subject +(.+)\\n(?:  .*\\n)*?  issued until +(\\S+)")
        .matcher(status);
    assertThat(matcher.find()).as("a %s root in:%n%s", phase, status).isTrue();
    return new Root(matcher.group(1).strip(), matcher.group(2));
  }
}
