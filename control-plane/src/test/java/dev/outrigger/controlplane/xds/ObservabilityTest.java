package dev.outrigger.controlplane.xds;

import static dev.outrigger.controlplane.xds.Fixtures.cluster;
import static dev.outrigger.controlplane.xds.Fixtures.resources;
import static dev.outrigger.controlplane.xds.SotwProtocolTest.ack;
import static dev.outrigger.controlplane.xds.SotwProtocolTest.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the server tells about its proxies: status API, Prometheus metrics, events. */
class ObservabilityTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  static final String CDS = ResourceType.CLUSTER.typeUrl();

  final List<String> events = new CopyOnWriteArrayList<>();
  XdsHarness harness;

  @BeforeEach
  void start() throws Exception {
    harness = new XdsHarness(builder -> builder.clock(Clock.fixed(NOW, ZoneOffset.UTC)).events(new Recorder()));
    harness.cache().set("a", resources(cluster("one")));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void metricsCountPushesNacksProxiesAndTimeConvergence() throws Exception {
    StreamClient<DiscoveryRequest, DiscoveryResponse> client = harness.sotw();
    DiscoveryResponse v1 = client.send(first(CDS)).next();
    client.send(ack(v1));
    await().until(() -> harness.status("a").inSync());
    assertThat(scrape()).contains("outrigger_xds_connected_proxies 1.0", "outrigger_xds_pushes_total{type=\"cds\"} 1.0");

    harness.cache().set("a", resources(cluster("one", 2)));
    harness.flush();
    DiscoveryResponse v2 = client.next();
    client.send(ack(v2));
    await().until(() -> harness.status("a").inSync());

    String metrics = scrape();
    assertThat(metrics).contains(
        "outrigger_xds_pushes_total{type=\"cds\"} 2.0",
        "outrigger_xds_nacks_total{type=\"cds\"} 0.0",
        "outrigger_xds_push_duration_seconds_count 1",
        // the change, after the 100 ms debounce (the resources it connected with are not timed)
        "outrigger_xds_convergence_seconds_count 1",
        "outrigger_xds_convergence_seconds_sum 0.1");
    assertThat(metrics).contains("outrigger_xds_push_duration_seconds_bucket{le=");

    client.close();
    await().until(() -> scrape().contains("outrigger_xds_connected_proxies 0.0"));
  }

  @Test
  void theStatusApiAndTheEventsFollowTheStream() throws Exception {
    StreamClient<DiscoveryRequest, DiscoveryResponse> client = harness.sotw();
    DiscoveryResponse v1 = client.send(first(CDS)).next();
    client.send(ack(v1));
    await().until(() -> harness.status("a").inSync());

    ProxyStatus status = harness.status("a");
    assertThat(status.protocol()).isEqualTo(ProxyStatus.Protocol.STATE_OF_THE_WORLD);
    assertThat(status.connectedSince()).isEqualTo(NOW);
    assertThat(status.node().getCluster()).isEqualTo("test");
    assertThat(status.types().get(ResourceType.CLUSTER))
        .isEqualTo(new ProxyStatus.TypeStatus(v1.getVersionInfo(), v1.getNonce(), NOW, v1.getVersionInfo(), null));

    harness.cache().set("a", resources(cluster("one", 2)));
    harness.flush();
    DiscoveryResponse v2 = client.next();
    client.send(DiscoveryRequest.newBuilder().setTypeUrl(CDS).setVersionInfo(v1.getVersionInfo())
        .setResponseNonce(v2.getNonce())
        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage("no thanks")).build());
    await().until(() -> events.size() >= 3);
    client.close();
    await().until(() -> events.size() >= 4);

    assertThat(events).containsExactly(
        "connected a",
        "acked a CDS " + v1.getVersionInfo(),
        "nacked a CDS " + v2.getVersionInfo() + ": no thanks",
        "disconnected a");
    assertThat(harness.xds.proxies()).isEmpty();
  }

  private String scrape() {
    return harness.metrics.scrape();
  }

  private final class Recorder implements XdsEventListener {
    @Override
    public void connected(Node node) {
      events.add("connected " + node.getId());
    }

    @Override
    public void disconnected(String nodeId) {
      events.add("disconnected " + nodeId);
    }

    @Override
    public void acked(String nodeId, ResourceType type, String version) {
      events.add("acked " + nodeId + " " + type + " " + version);
    }

    @Override
    public void nacked(String nodeId, ResourceType type, String version, String message) {
      events.add("nacked " + nodeId + " " + type + " " + version + ": " + message);
    }
  }
}
