package dev.outrigger.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import dev.outrigger.controlplane.xds.XdsServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What sharing translations saves, counted: translations per connect, and which proxies' resources change. */
class SharedTranslationsTest {
  private static final String SERVICES = """
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        ports: [{name: http, port: 8080, protocol: http}]
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: api, namespace: shop}
      spec:
        ports: [{name: http, port: 8081, protocol: http}]
      """;

  private static final String API_CALLERS = """
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: AuthorizationPolicy
      metadata: {name: api-callers, namespace: shop}
      spec:
        action: ALLOW
        targetRef: {group: "", kind: Service, name: api}
        rules:
        - from:
          - serviceAccounts: [shop/web]
      """;

  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final ManualTime time = new ManualTime();
  private final MeshXds mesh = new MeshXds(Meshes.model(SERVICES), time, Duration.ofSeconds(15));
  private final XdsServer xds = XdsServer.builder(metrics).scheduler(time)
      .resolver(mesh).events(mesh).build();

  {
    mesh.serveTo(xds.cache());
  }

  @AfterEach
  void close() {
    xds.close();
  }

  @Test
  void connectsCostTranslationsLinearInTheirNumberEvenWhenEachIsRepublishedAlone() {
    int sidecars = 60;
    for (int i = 0; i < sidecars; i++) {
      connect(sidecar(i));
      time.advance(Duration.ZERO);
    }

    // One outbound translation per connect (the endpoints changed), one inbound per shape; a
    // translation per proxy and connect would be sidecars * (sidecars + 1) / 2 = 1830.
    assertThat(mesh.translations()).isLessThanOrEqualTo(sidecars + 1 + 2);
    assertThat(endpointCount("sidecar-0", "outbound|8080||web.shop")).isEqualTo(sidecars / 2);
  }

  @Test
  void connectsThatComeTogetherAreTranslatedTogether() {
    for (int i = 0; i < 60; i++) {
      connect(sidecar(i));
    }
    long beforeRepublish = mesh.translations();
    time.advance(Duration.ZERO);

    assertThat(mesh.translations() - beforeRepublish).isEqualTo(1);
    assertThat(endpointCount("sidecar-59", "outbound|8081||api.shop")).isEqualTo(30);
  }

  @Test
  void sidecarsOfOneShapeShareOneSetOfResources() {
    connect(sidecar(0));
    connect(sidecar(2));
    connect(sidecar(1));
    time.advance(Duration.ZERO);

    assertThat(resources("sidecar-0")).isSameAs(resources("sidecar-2")).isNotSameAs(resources("sidecar-1"));
    assertThat(resources("sidecar-0").of(ResourceType.ENDPOINT).get("outbound|8080||web.shop"))
        .isSameAs(resources("sidecar-1").of(ResourceType.ENDPOINT).get("outbound|8080||web.shop"));
  }

  @Test
  void aPolicyForOneServiceChangesOnlyItsSidecarsResources() {
    for (int i = 0; i < 6; i++) {
      connect(sidecar(i));
    }
    time.advance(Duration.ZERO);
    List<Resources> before = allResources(6);

    mesh.modelChanged(Meshes.model(SERVICES + API_CALLERS));
    time.advance(Duration.ZERO);

    List<Resources> after = allResources(6);
    for (int i = 0; i < 6; i += 2) {
      assertThat(after.get(i)).as("web sidecar-" + i).isSameAs(before.get(i));
    }
    for (int i = 1; i < 6; i += 2) {
      assertThat(after.get(i).of(ResourceType.LISTENER)).as("api sidecar-" + i)
          .isNotEqualTo(before.get(i).of(ResourceType.LISTENER));
      assertThat(after.get(i).of(ResourceType.CLUSTER)).isEqualTo(before.get(i).of(ResourceType.CLUSTER));
    }
  }

  @Test
  void aPolicyForOneServiceIsPushedOnlyToItsSidecars() throws Exception {
    Server server = xds.listen(new InetSocketAddress("127.0.0.1", 0));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      for (int i = 0; i < 6; i++) {
        subscribeToAll(channel, sidecar(i));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> xds.proxies().size() == 6
          && xds.proxies().stream().allMatch(proxy -> proxy.types().size() == 4));
      time.advance(XdsServer.DEFAULT_DEBOUNCE_QUIET); // the endpoints the connects registered
      Map<String, Map<ResourceType, String>> before = sentNonces();
      double pushesBefore = pushes();

      mesh.modelChanged(Meshes.model(SERVICES + API_CALLERS));
      time.advance(XdsServer.DEFAULT_DEBOUNCE_QUIET);

      Map<String, Map<ResourceType, String>> after = sentNonces();
      assertThat(pushes() - pushesBefore).isEqualTo(3);
      for (int i = 0; i < 6; i++) {
        String node = "sidecar-" + i;
        Map<ResourceType, String> expected = new java.util.EnumMap<>(before.get(node));
        if (i % 2 == 1) {
          expected.remove(ResourceType.LISTENER);
          assertThat(after.get(node).get(ResourceType.LISTENER)).as(node).isNotEqualTo(before.get(node).get(ResourceType.LISTENER));
        }
        assertThat(after.get(node)).as(node).containsAllEntriesOf(expected);
      }
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoSidecarsOfOneShapeTranslateAlikeWhateverTheirIdAndAddress() {
    MeshModel model = Meshes.model(SERVICES);
    Workload one = Meshes.workload("a", "shop", "web", "web", "10.0.0.1");
    Workload two = Meshes.workload("b", "shop", "web", "other", "10.0.0.2");
    Endpoints endpoints = Endpoints.of(List.of(one, two));

    assertThat(Translator.translate(model, one, endpoints)).isEqualTo(Translator.translate(model, two, endpoints));
    assertThat(ProxyShape.of(one)).isEqualTo(ProxyShape.of(two));
  }

  /** Even ones serve web, odd ones api. */
  private static Node sidecar(int i) {
    String service = i % 2 == 0 ? "web" : "api";
    return Meshes.sidecar("sidecar-" + i, "shop", service, service, "10.0.0." + (i + 1), Map.of("http", 9000));
  }

  /** A state-of-the-world stream of {@code node} asking for every type; it never answers. */
  private static void subscribeToAll(ManagedChannel channel, Node node) {
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    for (ResourceType type : List.of(ResourceType.CLUSTER, ResourceType.ENDPOINT, ResourceType.LISTENER,
        ResourceType.ROUTE)) {
      requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type.typeUrl()).build());
    }
  }

  /** Per node, per type, the nonce of the latest response: a new one is a push. */
  private Map<String, Map<ResourceType, String>> sentNonces() {
    Map<String, Map<ResourceType, String>> nonces = new java.util.TreeMap<>();
    xds.proxies().forEach(proxy -> {
      Map<ResourceType, String> byType = new java.util.EnumMap<>(ResourceType.class);
      proxy.types().forEach((type, status) -> byType.put(type, status.sentNonce()));
      nonces.put(proxy.nodeId(), byType);
    });
    return nonces;
  }

  private double pushes() {
    return metrics.find("outrigger.xds.pushes").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** What the ADS stream does with a new node: resolve it, then report it connected. */
  private void connect(Node node) {
    xds.cache().set(node.getId(), mesh.resolve(node));
    mesh.connected(node);
  }

  private Resources resources(String nodeId) {
    return xds.cache().get(nodeId).orElseThrow();
  }

  private List<Resources> allResources(int sidecars) {
    List<Resources> all = new ArrayList<>();
    for (int i = 0; i < sidecars; i++) {
      all.add(resources("sidecar-" + i));
    }
    return all;
  }

  private int endpointCount(String nodeId, String cluster) {
    return Optional.of(Meshes.unpack(resources(nodeId), ResourceType.ENDPOINT, cluster,
            io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class))
        .map(assignment -> assignment.getEndpointsList().stream().mapToInt(l -> l.getLbEndpointsCount()).sum())
        .orElseThrow();
  }
}
