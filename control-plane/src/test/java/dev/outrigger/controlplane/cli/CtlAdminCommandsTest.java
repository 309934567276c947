package dev.outrigger.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.outrigger.api.admin.v1.AdminServiceGrpc;
import dev.outrigger.api.admin.v1.ListResourcesRequest;
import dev.outrigger.api.admin.v1.ListResourcesResponse;
import dev.outrigger.controlplane.admin.AdminApi;
import dev.outrigger.controlplane.admin.AdminHttpServer;
import dev.outrigger.controlplane.admin.AdsWatcher;
import dev.outrigger.controlplane.admin.TestFeed;
import dev.outrigger.controlplane.ca.MutableClock;
import dev.outrigger.controlplane.xds.XdsServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ctl apply|delete|get|describe|events} in-process against a real {@code control-plane}
 * (started through the same command line, with a copy of the example mesh as its config directory)
 * and a proxy's ADS stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CtlAdminCommandsTest {
  static final String PAYMENTS = """
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: payments, namespace: shop}
      spec:
        ports: [{name: http, port: 7000, protocol: http}]
      """;
  static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final AtomicReference<Runnable> stop = new AtomicReference<>();
  CompletableFuture<Integer> controlPlane;
  Path mesh;
  String server;
  int caPort;
  ManagedChannel xds;
  StringWriter out;
  StringWriter err;

  @BeforeAll
  void startControlPlane(@TempDir Path temporary) throws Exception {
    dir = temporary;
    mesh = Files.createDirectories(dir.resolve("mesh"));
    try (Stream<Path> examples = Files.list(MeshConfigCommandsTest.EXAMPLES)) {
      for (Path example : examples.toList()) {
        Files.copy(example, mesh.resolve(example.getFileName().toString()));
      }
    }
    StringWriter log = new StringWriter();
    StringWriter errors = new StringWriter();
    controlPlane = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"control-plane",
        "--state-dir", dir.resolve("state").toString(), "--ca-port", "0", "--xds-port", "0", "--admin-port", "0",
        "--config-dir", mesh.toString(), "--xds-debounce", "10ms"},
        new PrintWriter(log, true), new PrintWriter(errors, true), clock, stop::set));
    await().atMost(Duration.ofSeconds(60)).until(() -> log.toString().contains("admin API") || controlPlane.isDone());
    assertThat(controlPlane).as(errors.toString()).isNotDone();
    server = "127.0.0.1:" + port(log, "admin API on 127\\.0\\.0\\.1:(\\d+) \\(HTTP");
    caPort = port(log, "127\\.0\\.0\\.1:(\\d+) \\(TLS\\)");
    xds = NettyChannelBuilder.forAddress("127.0.0.1", port(log, "127\\.0\\.0\\.1:(\\d+) \\(plaintext\\)"))
        .usePlaintext().build();
  }

  @AfterAll
  void stopControlPlane() throws Exception {
    xds.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    stop.get().run();
    assertThat(controlPlane.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
  }

  @Test
  void applyGetAndDeleteAServiceThatAProxyThenReaches() throws Exception {
    Path payments = Files.writeString(dir.resolve("payments.yaml"), PAYMENTS);
    try (AdsWatcher proxy = new AdsWatcher(xds, "frontend-1", "frontend", "frontend")) {
      assertThat(ctl("apply", "-f", payments.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
      assertThat(out.toString()).isEqualTo("Service shop/payments created\n");
      await().atMost(Duration.ofSeconds(30)).until(() -> proxy.clusters().contains("outbound|7000||payments.shop"));

      assertThat(ctl("apply", "-f", payments.toString())).isEqualTo(ExitCodes.OK);
      assertThat(out.toString()).isEqualTo("Service shop/payments unchanged\n");

      assertThat(ctl("get", "services", "-o", "json")).isEqualTo(ExitCodes.OK);
      JsonNode services = JSON.readTree(out.toString());
      assertThat(services.path("resources").findValuesAsText("name"))
          .contains("cart", "cart-v2", "frontend", "inventory", "payments");
      assertThat(ctl("get", "services", "-n", "shop")).isEqualTo(ExitCodes.OK);
      assertThat(out.toString().lines().findFirst()).hasValue("KIND      NAMESPACE   NAME        DETAILS");
      assertThat(out.toString()).containsPattern("Service +shop +payments +ports http:7000/http\n");

      assertThat(ctl("delete", "-f", payments.toString())).isEqualTo(ExitCodes.OK);
      assertThat(out.toString()).isEqualTo("Service shop/payments deleted\n");
      await().atMost(Duration.ofSeconds(30)).until(() -> !proxy.clusters().contains("outbound|7000||payments.shop"));
      assertThat(ctl("get", "services", "-o", "json")).isEqualTo(ExitCodes.OK);
      assertThat(JSON.readTree(out.toString()).path("resources").findValuesAsText("name")).doesNotContain("payments");
    }
  }

  @Test
  void anInvalidApplyExitsWithOnePrintsEachProblemAndChangesNothing() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad-route.yaml"), MeshConfigCommandsTest.BAD_ROUTE);

    assertThat(ctl("apply", "-f", bad.toString())).isEqualTo(ExitCodes.INVALID);

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).containsExactly(
        bad + ": HTTPRoute shop/cart-v2: spec.rules[0].backendRefs[1].weight: must be >= 0",
        "outrigger: rejected, nothing changed");
    assertThat(ctl("get", "routes", "-o", "yaml")).isEqualTo(ExitCodes.OK);
    List<JsonNode> routes = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
        .<JsonNode>readValues(out.toString()).readAll();
    assertThat(routes).extracting(route -> route.at("/metadata/name").asText()).containsExactly("cart", "inventory");
    assertThat(mesh.resolve("applied/shop/httproute-cart-v2.yaml")).doesNotExist();
  }

  @Test
  void applyingAnOperatorsOwnResourceNamesItsFile() throws Exception {
    Path cart = Files.writeString(dir.resolve("cart.yaml"), PAYMENTS.replace("payments", "cart"));
    assertThat(ctl("apply", "-f", cart.toString())).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains(cart + ": Service shop/cart: defined in " + mesh.resolve("services.yaml"));
  }

  @Test
  void getProxiesAndDescribeOneShowTheirXdsState() throws Exception {
    try (AdsWatcher proxy = new AdsWatcher(xds, "cart-1", "cart", "cart")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> ctl("get", "proxies") == ExitCodes.OK
          && out.toString().contains("synced"));
      assertThat(out.toString()).containsPattern("cart-1 +shop/cart +synced +STATE_OF_THE_WORLD +\\d{4}-");
      assertThat(ctl("get", "proxies", "-o", "wide")).isEqualTo(ExitCodes.OK);
      assertThat(out.toString()).contains("spiffe://cluster.local/ns/shop/sa/cart", "CLUSTER=");
      assertThat(ctl("get", "proxies", "-o", "json")).isEqualTo(ExitCodes.OK);
      assertThat(JSON.readTree(out.toString()).path("proxies").findValuesAsText("nodeId")).contains("cart-1");

      assertThat(ctl("describe", "proxy", "cart-1")).isEqualTo(ExitCodes.OK);
      assertThat(out.toString()).contains("Node:       cart-1\n", "Identity:   spiffe://cluster.local/ns/shop/sa/cart\n",
          "Status:     synced\n").containsPattern("CLUSTER +outbound\\|9090\\|\\|inventory\\.shop +[0-9a-f]+");
    }
    assertThat(ctl("describe", "proxy", "nobody")).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("no proxy with node id nobody is connected");
  }

  @Test
  void anUnreachableControlPlaneIsExitCodeFour() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    assertThat(ctl("get", "services", "--server", "127.0.0.1:" + closed)).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString()).startsWith("outrigger: cannot reach the control plane at 127.0.0.1:" + closed);
    assertThat(ctl("get", "gadgets")).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString()).contains("unknown kind \"gadgets\"");
  }

  @Test
  void eventsFollowPrintsAnEventPublishedAfterSubscribing() throws Exception {
    TestFeed feed = new TestFeed();
    feed.publish(TestFeed.event("old", "dev.outrigger.resource.applied", "Service shop/cart"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    XdsServer noProxies = XdsServer.builder(registry).build();
    StringWriter printed = new StringWriter();
    CompletableFuture<Integer> following;
    try (AdminHttpServer admin = AdminHttpServer.start(new InetSocketAddress("127.0.0.1", 0),
        new AdminApi(null, noProxies, "cluster.local", feed), registry)) {
      String address = "127.0.0.1:" + admin.address().getPort();
      following = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"ctl", "events", "-f", "--server", address},
          new PrintWriter(printed, true), new PrintWriter(new StringWriter(), true), clock, action -> { }));
      await().atMost(Duration.ofSeconds(30)).until(() -> feed.subscribers() == 1);
      feed.publish(TestFeed.event("new", "dev.outrigger.proxy.connected", "cart-1"));
      await().atMost(Duration.ofSeconds(30)).until(() -> printed.toString().lines().count() == 2);
    } finally {
      noProxies.close();
    }
    assertThat(following.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(printed.toString().lines().map(line -> {
      try {
        return JSON.readTree(line).path("id").asText();
      } catch (IOException e) {
        throw new AssertionError(line, e);
      }
    })).containsExactly("old", "new");
  }

  @Test
  void applyReadsStandardInputAndTheGrpcApiAnswersOnTheTlsPortToo() throws Exception {
    InputStream stdin = System.in;
    System.setIn(new ByteArrayInputStream(PAYMENTS.replace("payments", "billing").getBytes(StandardCharsets.UTF_8)));
    try {
      assertThat(ctl("apply", "--dry-run", "-f", "-")).as(err.toString()).isEqualTo(ExitCodes.OK);
    } finally {
      System.setIn(stdin);
    }
    assertThat(out.toString()).isEqualTo("Service shop/billing created (dry run)\n");

    ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", caPort).overrideAuthority("localhost")
        .sslContext(GrpcSslContexts.forClient().trustManager(dir.resolve("state/bundle.pem").toFile()).build())
        .build();
    try {
      ListResourcesResponse policies = AdminServiceGrpc.newBlockingStub(tls).withDeadlineAfter(30, TimeUnit.SECONDS)
          .listResources(ListResourcesRequest.newBuilder().setKind("policies").build());
      assertThat(policies.getResourcesList()).isNotEmpty()
          .allSatisfy(policy -> assertThat(policy.getRef().getKind()).isEqualTo("AuthorizationPolicy"));
    } finally {
      tls.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void helpNamesTheDefaultServerAndTheExitCodes() {
    assertThat(ctl("get", "--help")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("--server=HOST:PORT", "127.0.0.1:15014", "OUTRIGGER_CONTROL_PLANE",
        "4   the control plane is unreachable");
  }

  /** Runs ctl against the control plane; its output in {@link #out} and {@link #err}. */
  private int ctl(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] command = Stream.concat(Stream.of("ctl"), Stream.of(args)).toArray(String[]::new);
    if (Stream.of(args).noneMatch("--server"::equals)) {
      command = Stream.concat(Stream.of(command), Stream.of("--server", server)).toArray(String[]::new);
    }
    return Main.run(command, new PrintWriter(out, true), new PrintWriter(err, true), clock, action -> { });
  }

  private static int port(StringWriter log, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(log.toString());
    assertThat(matcher.find()).as(log.toString()).isTrue();
    return Integer.parseInt(matcher.group(1));
  }
}
