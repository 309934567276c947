package dev.outrigger.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The control plane driving the mesh end to end, every part its own process: the control plane
 * serving a watched config directory (two Services, an HTTPRoute), two sidecars configured only
 * over xDS ({@code dynamic_resources}) with certificates from its CA, and two apps in this JVM. The
 * frontend's calls go to its sidecar's outbound listener with {@code Host: backend}, then in HTTP/2
 * over mTLS to the backend's sidecar, then to the backend app, which echoes the header the route
 * sets. Under a steady 100 requests a second, a route change made through the admin API is in
 * effect on every sidecar within a second, without a failed request (the sidecars' keep-alive
 * connections stay open: a route change drains nothing), and a control plane killed and restarted
 * changes nothing for the traffic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshControlPlaneTest {
  private static final String TRUST_DOMAIN = "e2e.test";
  private static final String NAMESPACE = "shop";
  private static final String ROUTE_HEADER = "x-route";
  private static final int RATE = 100;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  /** The bound from a route change to its being in effect on every sidecar. */
  private static final Duration IN_EFFECT_WITHIN = Duration.ofSeconds(1);
  private static final HttpClient ADMIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Stops the control plane after the sidecars (extensions end in reverse order). */
  @RegisterExtension
  @Order(1)
  static final AfterAllCallback stopControlPlane = context -> {
    if (MeshControlPlaneTest.controlPlane != null) {
      MeshControlPlaneTest.controlPlane.close();
    }
  };

  @RegisterExtension
  @Order(2)
  static final ProxyProcesses proxies = new ProxyProcesses();
  @TempDir static Path dir;

  private static Path logs;
  private static Path configDir;
  private static String[] controlPlaneOptions;
  private static int adminPort;
  private static ControlPlaneProcess controlPlane;
  private static ExecutorService appThreads;
  private static List<HttpServer> apps;
  private static XdsSidecar frontend;
  private static XdsSidecar backend;

  @BeforeAll
  static void startMesh() throws Exception {
    logs = Path.of(System.getProperty("outrigger.e2e.logs", "target/proxy-logs"));
    configDir = Files.createDirectories(dir.resolve("mesh"));
    Files.writeString(configDir.resolve("services.yaml"), services());
    int xdsPort = Bootstrap.freePort();
    adminPort = Bootstrap.freePort();
    controlPlaneOptions = new String[] {"--trust-domain", TRUST_DOMAIN, "--config-dir", configDir.toString(),
        "--xds-port", Integer.toString(xdsPort), "--ca-port", Integer.toString(Bootstrap.freePort()),
        "--admin-port", Integer.toString(adminPort)};
    controlPlane = startControlPlane("start");
    // The route is the admin API's (applied/), so that changing it is reconciled at once.
    applyRoute("gen-1");
    appThreads = Executors.newCachedThreadPool();
    apps = List.of(app("frontend"), app("backend"));
    frontend = XdsSidecar.of("frontend", NAMESPACE, apps.get(0).getAddress().getPort(), xdsPort);
    backend = XdsSidecar.of("backend", NAMESPACE, apps.get(1).getAddress().getPort(), xdsPort);
    for (XdsSidecar sidecar : List.of(backend, frontend)) {
      proxies.start(sidecar.yaml(), sidecar.adminAddress(), identity(sidecar));
    }
  }

  @AfterAll
  static void stopApps() {
    if (apps != null) {
      apps.forEach(app -> app.stop(0));
    }
    if (appThreads != null) {
      appThreads.shutdownNow();
    }
  }

  @Test
  @Order(1)
  void aRouteChangeUnderSteadyLoadReachesEverySidecarAndFailsNoRequest() throws Exception {
    assertThat(configDump(frontend)).contains("gen-1");
    assertThat(configDump(backend)).contains("gen-1");
    try (PacedLoad load = PacedLoad.start(frontend.outbound(), "backend", ROUTE_HEADER, RATE)) {
      load.awaitMore(RATE);
      assertThat(load.tally()).containsOnlyKeys("gen-1");

      changeRouteAndAwaitEverywhere(load, "gen-2");
      load.awaitMore(RATE);

      load.close();
      assertThat(load.failures).as("failed requests").isEmpty();
    }
  }

  @Test
  @Order(2)
  void theControlPlaneKilledAndRestartedUnderLoadFailsNoRequestAndChangesConvergeAfter() throws Exception {
    double reconnectsBefore = Math.min(reconnects(frontend), reconnects(backend));
    try (PacedLoad load = PacedLoad.start(frontend.outbound(), "backend", ROUTE_HEADER, RATE)) {
      load.awaitMore(RATE / 2);

      controlPlane.kill();
      await("both sidecars to see their stream gone").atMost(STEP_TIMEOUT)
          .until(() -> connected(frontend) == 0 && connected(backend) == 0);
      load.awaitMore(RATE);
      assertThat(configDump(frontend)).as("the last config, kept while the control plane is gone").contains("gen-2");
      controlPlane = startControlPlane("restart");
      await("both sidecars to reconnect").atMost(STEP_TIMEOUT).until(() ->
          Math.min(reconnects(frontend), reconnects(backend)) > reconnectsBefore
              && connected(frontend) == 1 && connected(backend) == 1);
      load.awaitMore(RATE);

      changeRouteAndAwaitEverywhere(load, "gen-3");
      load.awaitMore(RATE);

      load.close();
      assertThat(load.failures).as("failed requests").isEmpty();
      assertThat(load.tally()).containsOnlyKeys("gen-2", "gen-3");
    }
  }

  /**
   * Changes the route, through the admin API, to set {@code x-route: <generation>}; asserts that
   * each sidecar runs it within {@link #IN_EFFECT_WITHIN} (as seen on its config dump, polled: an
   * upper bound) and that the app saw it; from then on every request has it.
   */
  private static void changeRouteAndAwaitEverywhere(PacedLoad load, String generation) throws Exception {
    long made = System.nanoTime();
    applyRoute(generation);
    long answered = System.nanoTime() - made;
    Map<String, Long> inEffect = new ConcurrentHashMap<>();
    await("both sidecars to run the route of " + generation).atMost(STEP_TIMEOUT)
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          for (XdsSidecar sidecar : List.of(frontend, backend)) {
            if (!inEffect.containsKey(sidecar.service()) && configDump(sidecar).contains(generation)) {
              inEffect.put(sidecar.service(), System.nanoTime() - made);
            }
          }
          return inEffect.size() == 2 && load.answers.stream().anyMatch(answer -> answer.value().equals(generation));
        });
    Map<String, Long> millis = new TreeMap<>();
    inEffect.forEach((sidecar, nanos) -> millis.put(sidecar, TimeUnit.NANOSECONDS.toMillis(nanos)));
    long firstAnswered = load.answers.stream().filter(answer -> answer.value().equals(generation))
        .mapToLong(PacedLoad.Answer::sentNanos).min().orElseThrow();
    System.out.printf("route %s: apply answered after %d ms; in effect (config dump) after %s ms; first request"
            + " with it sent %d ms after the change%n", generation, TimeUnit.NANOSECONDS.toMillis(answered), millis,
        TimeUnit.NANOSECONDS.toMillis(firstAnswered - made));
    assertThat(inEffect.values()).as("ms from the change to the route in effect, per sidecar: %s", millis)
        .allSatisfy(nanos -> assertThat(nanos).isLessThanOrEqualTo(IN_EFFECT_WITHIN.toNanos()));
    assertThat(firstAnswered).isGreaterThan(made);
    load.awaitMore(RATE / 2);
    assertThat(load.answers.stream().filter(answer -> answer.sentNanos() > firstAnswered)
        .filter(answer -> !answer.value().equals(generation)).toList())
        .as("answers sent after the first with %s that still had the old route", generation).isEmpty();
  }

  /** {@code POST /v1/apply} of the route with {@code generation}, as {@code outrigger ctl apply -f} sends it. */
  private static void applyRoute(String generation) throws Exception {
    String body = "{\"documents\": [{\"source\": \"route.yaml\", \"text\": \"" + jsonEscaped(route(generation)) + "\"}]}";
    HttpResponse<String> response = ADMIN.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/v1/apply"))
            .header("Content-Type", "application/json").timeout(STEP_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        BodyHandlers.ofString());
    assertThat(response.statusCode()).as("apply answered %s", response.body()).isEqualTo(200);
    assertThat(response.body()).containsAnyOf("CREATED", "CHANGED");
  }

  private static String jsonEscaped(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static ControlPlaneProcess startControlPlane(String name) throws IOException {
    return ControlPlaneProcess.start(dir.resolve("state"),
        logs.resolve("MeshControlPlaneTest-control-plane-" + name + ".log"), controlPlaneOptions);
  }

  private static String[] identity(XdsSidecar sidecar) throws Exception {
    String token = controlPlane.ctl("token", "create", "--namespace", NAMESPACE, "--service-account",
        sidecar.service()).ok();
    Path tokenFile = Files.writeString(dir.resolve(sidecar.service() + ".token"), token.strip());
    return new String[] {"--identity", "ca", "--ca-address", controlPlane.caAddress(),
        "--ca-bundle", controlPlane.bundle().toString(), "--join-token-file", tokenFile.toString(),
        "--spiffe-id", sidecar.spiffeId(TRUST_DOMAIN)};
  }

  /** The mesh's trust domain (the CA's, else peers' certificates match no SAN matcher), and the two Services. */
  private static String services() {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: outrigger.dev/v1alpha1
        kind: MeshConfig
        metadata: {name: default}
        spec: {trustDomain: %s}
        ---
        """.formatted(TRUST_DOMAIN));
    for (String name : List.of("frontend", "backend")) {
      yaml.append("""
          apiVersion: outrigger.dev/v1alpha1
          kind: Service
          metadata: {name: %s, namespace: %s}
          spec:
            ports: [{name: http, port: 8080, protocol: http}]
          ---
          """.formatted(name, NAMESPACE));
    }
    return yaml.toString();
  }

  private static String route(String generation) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: backend, namespace: %s}
        spec:
          parentRefs: [{group: "", kind: Service, name: backend, port: 8080}]
          rules:
          - filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: %s, value: %s}]
            backendRefs: [{name: backend, port: 8080}]
        """.formatted(NAMESPACE, ROUTE_HEADER, generation);
  }

  /** Answers with its name, echoing the route's header back (when the request had it). */
  private static HttpServer app(String name) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(appThreads);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String route = exchange.getRequestHeaders().getFirst(ROUTE_HEADER);
      if (route != null) {
        exchange.getResponseHeaders().set(ROUTE_HEADER, route);
      }
      byte[] body = name.getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static String configDump(XdsSidecar sidecar) throws Exception {
    return admin(sidecar, "/config_dump");
  }

  private static double connected(XdsSidecar sidecar) throws Exception {
    return sample(admin(sidecar, "/metrics"), "outrigger_xds_connected");
  }

  private static double reconnects(XdsSidecar sidecar) throws Exception {
    return sample(admin(sidecar, "/metrics"), "outrigger_xds_reconnects_total");
  }

  private static String admin(XdsSidecar sidecar, String path) throws Exception {
    return ADMIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.admin() + path))
        .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString()).body();
  }

  /** The value of an unlabelled sample, 0 when absent. */
  private static double sample(String metrics, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(metrics);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
