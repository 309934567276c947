package dev.outrigger.controlplane.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.outrigger.api.admin.v1.AdminServiceGrpc;
import dev.outrigger.api.admin.v1.ApplyRequest;
import dev.outrigger.api.admin.v1.ApplyResponse;
import dev.outrigger.api.admin.v1.CloudEvent;
import dev.outrigger.api.admin.v1.DeleteRequest;
import dev.outrigger.api.admin.v1.DeleteResponse;
import dev.outrigger.api.admin.v1.DescribeProxyRequest;
import dev.outrigger.api.admin.v1.Document;
import dev.outrigger.api.admin.v1.GetResourceRequest;
import dev.outrigger.api.admin.v1.ListProxiesRequest;
import dev.outrigger.api.admin.v1.ListResourcesRequest;
import dev.outrigger.api.admin.v1.ListResourcesResponse;
import dev.outrigger.api.admin.v1.Problem;
import dev.outrigger.api.admin.v1.Proxy;
import dev.outrigger.api.admin.v1.ProxyDescription;
import dev.outrigger.api.admin.v1.ResourceRef;
import dev.outrigger.api.admin.v1.ResourceResult;
import dev.outrigger.api.admin.v1.ResourceResult.Outcome;
import dev.outrigger.api.admin.v1.StreamEventsRequest;
import dev.outrigger.controlplane.events.CloudEventJson;
import dev.outrigger.controlplane.events.Emitter;
import dev.outrigger.controlplane.model.file.ConfigDirectory;
import dev.outrigger.controlplane.translate.MeshXds;
import dev.outrigger.controlplane.xds.Scheduler;
import dev.outrigger.controlplane.xds.XdsServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API on a real control plane's parts: a config directory on disk, the mesh translated
 * to a real xDS server, the gRPC service on its plaintext port and the JSON/HTTP server, driven
 * by grpc-java, the JDK's HttpClient and a proxy's ADS stream.
 */
class AdminApiTest {
  static final String SERVICES = """
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: cart, namespace: shop}
      spec:
        ports: [{name: http, port: 8080, protocol: http}]
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: cart-v2, namespace: shop}
      spec:
        ports: [{name: http, port: 8080, protocol: http}]
      """;
  static final String PAYMENTS = """
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: payments, namespace: shop}
      spec:
        ports: [{name: http, port: 7000, protocol: http}]
      """;
  static final String CANARY_ROUTE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: cart-canary, namespace: shop}
      spec:
        parentRefs: [{kind: Service, name: cart, port: 8080}]
        rules:
        - matches: [{headers: [{name: x-canary, value: "1"}]}]
          backendRefs: [{name: cart-v2, port: 8080}]
      """;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Path mesh;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final TestFeed feed = new TestFeed();
  final HttpClient http = HttpClient.newHttpClient();
  ConfigDirectory directory;
  Scheduler.SystemScheduler scheduler;
  XdsServer xds;
  Server grpc;
  AdminHttpServer admin;
  ManagedChannel channel;
  AdminServiceGrpc.AdminServiceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    mesh = Files.createDirectories(dir.resolve("mesh"));
    Files.writeString(mesh.resolve("services.yaml"), SERVICES);
    directory = new ConfigDirectory(mesh, Duration.ofMillis(50), Duration.ofSeconds(1), System::nanoTime);
    assertThat(directory.load().problems()).isEmpty();
    scheduler = Scheduler.system();
    MeshXds meshXds = new MeshXds(directory.model(), scheduler, MeshXds.DEFAULT_GRACE);
    xds = XdsServer.builder(registry).scheduler(scheduler).debounce(Duration.ofMillis(10), Duration.ofMillis(100))
        .resolver(meshXds).events(meshXds).build();
    meshXds.serveTo(xds.cache());
    directory.onModel(meshXds);
    AdminApi api = new AdminApi(directory, xds, "cluster.local", feed);
    grpc = xds.listen(new InetSocketAddress("127.0.0.1", 0), new AdminGrpcService(api)::definition);
    admin = AdminHttpServer.start(new InetSocketAddress("127.0.0.1", 0), api, registry);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.getPort()).usePlaintext().build();
    stub = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    admin.close();
    grpc.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    xds.close();
    scheduler.close();
  }

  @Test
  void applyOverHttpWritesOneFilePerResourceAndAConnectedProxyGetsTheChange() throws Exception {
    try (AdsWatcher proxy = new AdsWatcher(channel, "cart-1", "cart", "cart")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> proxy.clusters().contains("outbound|8080||cart.shop"));
      assertThat(proxy.clusters()).doesNotContain("outbound|7000||payments.shop");

      HttpResponse<String> response = post("/v1/apply", apply(false, PAYMENTS + "---\n" + CANARY_ROUTE));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      ApplyResponse applied = parse(response.body(), ApplyResponse.newBuilder()).build();
      assertThat(applied.getProblemsList()).isEmpty();
      assertThat(applied.getResultsList()).extracting(r -> r.getRef().getName(), ResourceResult::getOutcome)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("payments", Outcome.CREATED),
              org.assertj.core.groups.Tuple.tuple("cart-canary", Outcome.CREATED));
      Path routeFile = mesh.resolve("applied/shop/httproute-cart-canary.yaml");
      assertThat(applied.getResults(1).getFile()).isEqualTo(routeFile.toString());
      assertThat(Files.readString(routeFile)).contains("name: cart-canary", "value: \"1\"");
      assertThat(mesh.resolve("applied/shop/service-payments.yaml")).exists();
      assertThat(directory.model().resources()).extracting(r -> r.metadata().name())
          .contains("payments", "cart-canary");
      await().atMost(Duration.ofSeconds(30)).until(() -> proxy.clusters().contains("outbound|7000||payments.shop"));

      ApplyResponse again = parse(post("/v1/apply", apply(false, PAYMENTS.replace("7000", "7001") + "---\n"
          + CANARY_ROUTE)).body(), ApplyResponse.newBuilder()).build();
      assertThat(again.getResultsList()).extracting(ResourceResult::getOutcome)
          .containsExactly(Outcome.CHANGED, Outcome.UNCHANGED);
      await().atMost(Duration.ofSeconds(30)).until(() -> proxy.clusters().contains("outbound|7001||payments.shop"));
    }
    ConfigDirectory restarted =
        new ConfigDirectory(mesh, Duration.ofMillis(50), Duration.ofSeconds(1), System::nanoTime);
    restarted.load();
    assertThat(restarted.model()).isEqualTo(directory.model());
  }

  @Test
  void anInvalidRequestIsRejectedWholeWithEveryProblemAndNothingChanges() throws Exception {
    String badRoute = CANARY_ROUTE.replace("name: cart-v2, port: 8080", "name: cart-v3, port: 8080")
        .replace("port: 8080}]\n  rules", "port: 9999}]\n  rules");
    String badWeight = PAYMENTS.replace("port: 7000", "port: 70000");

    HttpResponse<String> response = post("/v1/apply", apply(false, badRoute, badWeight));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    ApplyResponse rejected = parse(response.body(), ApplyResponse.newBuilder()).build();
    assertThat(rejected.getResultsList()).isEmpty();
    assertThat(rejected.getProblemsList()).extracting(AdminApiTest::text).containsExactly(
        "doc-1.yaml: Service shop/payments: spec.ports[0].port: must be <= 65535");
    assertThat(mesh.resolve("applied")).doesNotExist();

    rejected = stub.apply(applyRequest(false, badRoute, PAYMENTS));
    assertThat(rejected.getProblemsList()).extracting(AdminApiTest::text).containsExactly(
        "doc-0.yaml: HTTPRoute shop/cart-canary: spec.parentRefs[0].port: Service shop/cart has no port 9999",
        "doc-0.yaml: HTTPRoute shop/cart-canary: spec.rules[0].backendRefs[0]: Service shop/cart-v3 does not exist");
    assertThat(mesh.resolve("applied")).doesNotExist();
    assertThat(directory.model().resources()).extracting(r -> r.metadata().name())
        .containsExactly("cart", "cart-v2");
  }

  @Test
  void aResourceFromTheOperatorsOwnFilesIsNeitherReplacedNorDeleted() throws Exception {
    String cart = SERVICES.substring(0, SERVICES.indexOf("---"));

    ApplyResponse applied = stub.apply(applyRequest(false, cart.replace("8080", "8081")));
    assertThat(applied.getProblemsList()).extracting(AdminApiTest::text).containsExactly(
        "doc-0.yaml: Service shop/cart: defined in " + mesh.resolve("services.yaml")
            + ", which the admin API does not manage (it writes only under " + mesh.resolve("applied")
            + "): edit that file instead");
    DeleteResponse deleted = stub.delete(DeleteRequest.newBuilder()
        .addRefs(ResourceRef.newBuilder().setKind("Service").setNamespace("shop").setName("cart")).build());
    assertThat(deleted.getProblemsCount()).isOne();
    assertThat(deleted.getProblems(0).getMessage()).startsWith("defined in " + mesh.resolve("services.yaml"));
  }

  @Test
  void deleteRemovesWhatApplyCreatedUnlessSomethingStillNeedsIt() throws Exception {
    stub.apply(applyRequest(false, PAYMENTS));
    String route = CANARY_ROUTE.replace("name: cart-v2, port: 8080", "name: payments, port: 7000");
    assertThat(stub.apply(applyRequest(false, route)).getProblemsList()).isEmpty();

    HttpResponse<String> refused = post("/v1/delete", JsonFormat.printer().print(DeleteRequest.newBuilder()
        .addDocuments(Document.newBuilder().setSource("payments.yaml").setText(PAYMENTS))));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(parse(refused.body(), DeleteResponse.newBuilder()).getProblemsList()).extracting(AdminApiTest::text)
        .containsExactly(mesh.resolve("applied/shop/httproute-cart-canary.yaml")
            + ": HTTPRoute shop/cart-canary: spec.rules[0].backendRefs[0]: Service shop/payments does not exist"
            + " (after the deletion)");
    assertThat(mesh.resolve("applied/shop/service-payments.yaml")).exists();

    DeleteResponse deleted = stub.delete(DeleteRequest.newBuilder()
        .addDocuments(Document.newBuilder().setText(PAYMENTS + "---\n" + route))
        .addRefs(ResourceRef.newBuilder().setKind("HTTPRoute").setNamespace("shop").setName("gone")).build());
    assertThat(deleted.getProblemsList()).isEmpty();
    assertThat(deleted.getResultsList()).extracting(r -> r.getRef().getName(), ResourceResult::getOutcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("payments", Outcome.DELETED),
            org.assertj.core.groups.Tuple.tuple("cart-canary", Outcome.DELETED),
            org.assertj.core.groups.Tuple.tuple("gone", Outcome.NOT_FOUND));
    assertThat(mesh.resolve("applied/shop/service-payments.yaml")).doesNotExist();
    assertThat(directory.model().resources()).extracting(r -> r.metadata().name())
        .containsExactly("cart", "cart-v2");
  }

  @Test
  void aDryRunReportsWhatWouldChangeAndWritesNothing() {
    ApplyResponse response = stub.apply(applyRequest(true, PAYMENTS));
    assertThat(response.getDryRun()).isTrue();
    assertThat(response.getResultsList()).extracting(ResourceResult::getOutcome).containsExactly(Outcome.CREATED);
    assertThat(mesh.resolve("applied")).doesNotExist();
    assertThat(directory.model().resources()).hasSize(2);
  }

  @Test
  void aResourceMayComeAsAnObject() throws Exception {
    Struct.Builder object = Struct.newBuilder();
    JsonFormat.parser().merge(JSON.writeValueAsString(new ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(PAYMENTS)), object);
    ApplyResponse response = stub.apply(ApplyRequest.newBuilder()
        .addDocuments(Document.newBuilder().setObject(object)).build());
    assertThat(response.getProblemsList()).isEmpty();
    assertThat(Files.readString(mesh.resolve("applied/shop/service-payments.yaml"))).contains("port: 7000\n");
  }

  @Test
  void listsResourcesByKindWithTheirFileAndManifest() throws Exception {
    stub.apply(applyRequest(false, CANARY_ROUTE));

    HttpResponse<String> routes = get("/v1/resources/routes");
    assertThat(routes.statusCode()).isEqualTo(200);
    JsonNode json = JSON.readTree(routes.body());
    assertThat(json.path("resources")).hasSize(1);
    assertThat(json.at("/resources/0/ref/kind").asText()).isEqualTo("HTTPRoute");
    assertThat(json.at("/resources/0/manifest/spec/parentRefs/0/name").asText()).isEqualTo("cart");
    ListResourcesResponse services = stub.listResources(ListResourcesRequest.newBuilder().setKind("services").build());
    assertThat(services.getResourcesList()).extracting(r -> r.getRef().getName(), r -> r.getFile())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("cart", mesh.resolve("services.yaml").toString()),
            org.assertj.core.groups.Tuple.tuple("cart-v2", mesh.resolve("services.yaml").toString()));
    assertThat(stub.getResource(GetResourceRequest.newBuilder().setRef(ResourceRef.newBuilder()
        .setKind("service").setNamespace("shop").setName("cart-v2")).build()).getManifest()
        .getFieldsOrThrow("kind").getStringValue()).isEqualTo("Service");
    assertThat(get("/v1/resources/Service/shop/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> unknown = get("/v1/resources/gadgets");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("INVALID_ARGUMENT");
  }

  @Test
  void showsEachProxyWithItsIdentityAndXdsStateAndWhatItHolds() throws Exception {
    try (AdsWatcher proxy = new AdsWatcher(channel, "cart-1", "cart", "cart-sa")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> stub.listProxies(ListProxiesRequest.getDefaultInstance())
          .getProxiesList().stream().anyMatch(Proxy::getInSync));
      Proxy listed = stub.listProxies(ListProxiesRequest.getDefaultInstance()).getProxies(0);
      assertThat(listed.getNodeId()).isEqualTo("cart-1");
      assertThat(listed.getIdentity()).isEqualTo("spiffe://cluster.local/ns/shop/sa/cart-sa");
      assertThat(listed.getWorkload().getService()).isEqualTo("cart");
      assertThat(listed.getProtocol()).isEqualTo("STATE_OF_THE_WORLD");
      assertThat(listed.getTypesList()).singleElement().satisfies(type -> {
        assertThat(type.getType()).isEqualTo("CLUSTER");
        assertThat(type.getAckedVersion()).isEqualTo(type.getSentVersion()).isNotEmpty();
      });

      HttpResponse<String> described = get("/v1/proxies/cart-1");
      assertThat(described.statusCode()).isEqualTo(200);
      ProxyDescription description = parse(described.body(), ProxyDescription.newBuilder()).build();
      assertThat(description.getProxy().getNodeId()).isEqualTo("cart-1");
      assertThat(description.getResourcesList()).anySatisfy(resource -> {
        assertThat(resource.getType()).isEqualTo("CLUSTER");
        assertThat(resource.getName()).isEqualTo("outbound|8080||cart-v2.shop");
        assertThat(resource.getVersion()).isNotEmpty();
      });
      assertThatThrownBy(() -> stub.describeProxy(DescribeProxyRequest.newBuilder().setNodeId("nobody").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
  }

  @Test
  void eventsStreamOverHttpAndGrpcIncludingOnesPublishedAfterSubscribing() throws Exception {
    feed.publish(TestFeed.event("1", "dev.outrigger.resource.applied", "HTTPRoute shop/cart"));

    assertThat(get("/v1/events").body().lines()).singleElement().satisfies(line -> {
      JsonNode event = JSON.readTree(line);
      assertThat(event.path("specversion").asText()).isEqualTo("1.0");
      assertThat(event.path("type").asText()).isEqualTo("dev.outrigger.resource.applied");
      assertThat(event.path("time").asText()).isEqualTo("2026-11-29T12:00:00Z");
      assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
      assertThat(event.path("data").path("count").asInt()).isEqualTo(3);
    });

    HttpResponse<InputStream> following = http.send(HttpRequest.newBuilder(uri("/v1/events?follow=true")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    BlockingQueue<CloudEvent> grpcEvents = new LinkedBlockingQueue<>();
    AdminServiceGrpc.newStub(channel).streamEvents(StreamEventsRequest.newBuilder().setFollow(true).build(),
        new StreamObserver<>() {
          @Override
          public void onNext(CloudEvent event) {
            grpcEvents.add(event);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(following.body(), StandardCharsets.UTF_8))) {
      assertThat(JSON.readTree(lines.readLine()).path("id").asText()).isEqualTo("1");
      await().atMost(Duration.ofSeconds(30)).until(() -> feed.subscribers() == 2);
      feed.publish(TestFeed.event("2", "dev.outrigger.proxy.connected", "cart-1"));
      assertThat(JSON.readTree(lines.readLine()).path("subject").asText()).isEqualTo("cart-1");
    }
    assertThat(grpcEvents.poll(30, TimeUnit.SECONDS).getId()).isEqualTo("1");
    assertThat(grpcEvents.poll(30, TimeUnit.SECONDS).getId()).isEqualTo("2");
  }

  @Test
  void ctlsOwnEventsArePublishedAndOthersRefused() throws Exception {
    var rotated = new dev.outrigger.controlplane.events.CloudEvent("r-1", Emitter.CTL, "dev.outrigger.ca.root.rotated", "cluster.local",
        Instant.parse("2026-11-29T19:00:00Z"), null);
    assertThat(post("/v1/events", CloudEventJson.write(rotated)).statusCode()).isEqualTo(202);
    assertThat(feed.recent()).extracting(event -> event.id()).contains("r-1");

    var forged = new dev.outrigger.controlplane.events.CloudEvent("f-1", Emitter.CONTROL_PLANE, "dev.outrigger.config.acked", "cart-1",
        Instant.parse("2026-11-29T19:00:00Z"), null);
    HttpResponse<String> refused = post("/v1/events", CloudEventJson.write(forged));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("only events of source //outrigger/ctl are accepted");
    assertThat(post("/v1/events", "{\"specversion\":\"0.3\"}").statusCode()).isEqualTo(400);
    assertThat(feed.recent()).extracting(event -> event.id()).doesNotContain("f-1");
  }

  @Test
  void changesAreRefusedToNonLoopbackCallersAndWithoutAConfigDirectory() throws Exception {
    AdminApi api = new AdminApi(directory, xds, "cluster.local", feed);
    assertThatThrownBy(() -> api.apply(applyRequest(false, PAYMENTS), new InetSocketAddress("192.0.2.7", 40000)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));

    try (AdminHttpServer readOnly = AdminHttpServer.start(new InetSocketAddress("127.0.0.1", 0),
        new AdminApi(null, xds, "cluster.local", null), registry)) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + readOnly.address().getPort() + "/v1/apply"))
          .POST(HttpRequest.BodyPublishers.ofString(apply(false, PAYMENTS))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(409);
      assertThat(JSON.readTree(response.body()).path("message").asText())
          .startsWith("the admin API is read-only: apply needs a control plane started with --config-dir");
    }
    assertThat(mesh.resolve("applied")).doesNotExist();
  }

  @Test
  void servesHealthAndTheControlPlanesMetrics() throws Exception {
    assertThat(get("/healthz").body()).isEqualTo("ok\n");
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("outrigger_xds_");
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  static String text(Problem problem) {
    return new dev.outrigger.controlplane.model.Problem(problem.getFile(), problem.getResource(), problem.getPath(),
        problem.getMessage()).toString();
  }

  static ApplyRequest applyRequest(boolean dryRun, String... documents) {
    ApplyRequest.Builder request = ApplyRequest.newBuilder().setDryRun(dryRun);
    for (int i = 0; i < documents.length; i++) {
      request.addDocuments(Document.newBuilder().setSource("doc-" + i + ".yaml").setText(documents[i]));
    }
    return request.build();
  }

  static String apply(boolean dryRun, String... documents) throws Exception {
    return JsonFormat.printer().print(applyRequest(dryRun, documents));
  }

  static <B extends Message.Builder> B parse(String json, B builder) throws Exception {
    JsonFormat.parser().merge(json, builder);
    return builder;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + admin.address().getPort() + path);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
