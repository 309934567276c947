package dev.outrigger.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.controlplane.model.MeshModel;
import dev.outrigger.controlplane.xds.ResourceType;
import dev.outrigger.controlplane.xds.Resources;
import dev.outrigger.controlplane.xds.XdsServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition against a real xDS server's cache; stream events are called as the server calls them. */
class MeshXdsTest {
  private static final String WEB = """
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        ports: [{name: http, port: 8080, protocol: http}]
      """;
  private static final String API = """
      ---
      apiVersion: outrigger.dev/v1alpha1
      kind: Service
      metadata: {name: api, namespace: shop}
      spec:
        ports: [{name: http, port: 8081, protocol: http}]
      """;
  private static final Node WEB_1 = Meshes.sidecar("web-1", "shop", "web", "web", "10.0.0.1", Map.of("http", 9000));
  private static final Node CLIENT = Node.newBuilder().setId("client").build();

  private final ManualTime time = new ManualTime();
  private final MeshXds mesh = new MeshXds(Meshes.model(WEB), time, Duration.ofSeconds(15));
  private final XdsServer xds = XdsServer.builder(new SimpleMeterRegistry()).scheduler(time)
      .resolver(mesh).events(mesh).build();

  {
    mesh.serveTo(xds.cache());
  }

  @AfterEach
  void close() {
    xds.close();
  }

  @Test
  void aConnectingSidecarIsAnEndpointForEveryProxy() {
    connect(CLIENT);
    connect(WEB_1);
    time.advance(Duration.ZERO);

    assertThat(endpoints("client", "outbound|8080||web.shop")).containsExactly("10.0.0.1:15006");
    assertThat(endpoints("web-1", "outbound|8080||web.shop")).containsExactly("10.0.0.1:15006");
    assertThat(resources("web-1").of(ResourceType.LISTENER)).containsKeys("inbound", "outbound");
  }

  @Test
  void aNewModelReachesEveryConnectedProxy() {
    connect(CLIENT);
    connect(WEB_1);
    mesh.modelChanged(Meshes.model(WEB + API));
    time.advance(Duration.ZERO);

    assertThat(resources("client").of(ResourceType.CLUSTER)).containsKey("outbound|8081||api.shop");
    assertThat(resources("web-1").of(ResourceType.CLUSTER)).containsKey("outbound|8081||api.shop");
  }

  @Test
  void aSidecarGoneForGoodLeavesTheEndpointsAndTheCache() {
    connect(CLIENT);
    connect(WEB_1);
    mesh.disconnected("web-1");
    time.advance(Duration.ofSeconds(15));

    assertThat(endpoints("client", "outbound|8080||web.shop")).isEmpty();
    assertThat(xds.cache().get("web-1")).isEmpty();
  }

  @Test
  void aNodeWithUnreadableMetadataIsServedWithoutAWorkload() {
    Node bad = WEB_1.toBuilder().setId("bad").setMetadata(WEB_1.getMetadata().toBuilder()
        .putFields(Workload.INBOUND_PORTS, com.google.protobuf.Value.newBuilder().setStringValue("http=9000").build()))
        .build();
    connect(bad);
    time.advance(Duration.ZERO);

    assertThat(resources("bad").of(ResourceType.LISTENER).keySet()).containsExactly("outbound");
    assertThat(endpoints("bad", "outbound|8080||web.shop")).isEmpty();
  }

  @Test
  void aRestartedControlPlaneKeepsTheRegisteredSidecarsAsEndpointsUntilTheyCouldHaveReconnected(@TempDir Path state)
      throws Exception {
    NodeJournal journal = new NodeJournal(state.resolve("proxies.jsonl"));
    mesh.remember(journal);
    connect(WEB_1);
    connect(CLIENT);
    time.advance(Duration.ZERO);

    ManualTime restartedTime = new ManualTime();
    MeshXds restarted = new MeshXds(Meshes.model(WEB), restartedTime, Duration.ofSeconds(15));
    restarted.remember(journal);
    // The client reconnects first: it gets what it had, web-1 still its endpoint, though web-1 has no stream yet.
    assertThat(restarted.resolve(CLIENT)).isEqualTo(mesh.resolve(CLIENT));
    assertThat(endpoints(restarted.resolve(CLIENT), "outbound|8080||web.shop")).containsExactly("10.0.0.1:15006");
    // Longer than a reconnect's backoff, not just the grace of a stream that ended.
    restartedTime.advance(Duration.ofSeconds(15));
    assertThat(endpoints(restarted.resolve(CLIENT), "outbound|8080||web.shop")).containsExactly("10.0.0.1:15006");
    restartedTime.advance(MeshXds.RESTART_GRACE);
    assertThat(endpoints(restarted.resolve(CLIENT), "outbound|8080||web.shop")).isEmpty();
    assertThat(journal.load()).extracting(Node::getId).containsExactly("web-1");
  }

  /** What the ADS stream does with a new node: resolve it, then report it connected. */
  private void connect(Node node) {
    xds.cache().set(node.getId(), mesh.resolve(node));
    mesh.connected(node);
  }

  private Resources resources(String nodeId) {
    return xds.cache().get(nodeId).orElseThrow();
  }

  private List<String> endpoints(String nodeId, String cluster) {
    return endpoints(resources(nodeId), cluster);
  }

  private static List<String> endpoints(Resources resources, String cluster) {
    return Meshes.unpack(resources, ResourceType.ENDPOINT, cluster, ClusterLoadAssignment.class)
        .getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
        .map(e -> e.getEndpoint().getAddress().getSocketAddress())
        .map(a -> a.getAddress() + ":" + a.getPortValue()).toList();
  }
}
