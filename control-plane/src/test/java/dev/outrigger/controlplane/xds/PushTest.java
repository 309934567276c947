package dev.outrigger.controlplane.xds;

import static dev.outrigger.controlplane.xds.Fixtures.cluster;
import static dev.outrigger.controlplane.xds.Fixtures.endpoints;
import static dev.outrigger.controlplane.xds.Fixtures.listener;
import static dev.outrigger.controlplane.xds.Fixtures.resources;
import static dev.outrigger.controlplane.xds.Fixtures.route;
import static dev.outrigger.controlplane.xds.Fixtures.secret;
import static dev.outrigger.controlplane.xds.SotwProtocolTest.names;
import static dev.outrigger.controlplane.xds.XdsHarness.ms;
import static dev.outrigger.controlplane.xds.XdsHarness.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pushes: make-before-break order across types, removals last, debounce, only changed nodes. */
class PushTest {
  XdsHarness harness;

  /** Listener "in" routes "svc" to cluster "old" through route config "routes". */
  final Resources before = resources(secret("default"), cluster("old"), endpoints("old", 8001),
      listener("in", "routes"), route("routes", "svc", "old"));

  @BeforeEach
  void start() throws Exception {
    harness = new XdsHarness();
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void oneChangeOfEveryTypeArrivesInMakeBeforeBreakOrder() throws Exception {
    harness.cache().set("a", before);
    SotwProxy proxy = new SotwProxy(harness.sotw(), "a");
    proxy.subscribeAll();

    harness.cache().set("a", resources(secret("default"), secret("new-cert"), cluster("old"), cluster("new"),
        endpoints("old", 8001), endpoints("new", 8002), listener("in", "routes"), listener("in2", "routes"),
        route("routes", "svc", "new")));
    harness.flush();

    List<ResourceType> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      order.add(proxy.takeAndAck());
    }
    assertThat(order).containsExactly(ResourceType.SECRET, ResourceType.CLUSTER, ResourceType.ENDPOINT,
        ResourceType.LISTENER, ResourceType.ROUTE);
  }

  @Test
  void sotwDropsARemovedClusterOnlyAfterTheRouteAwayFromItWasAccepted() throws Exception {
    harness.cache().set("a", before);
    SotwProxy proxy = new SotwProxy(harness.sotw(), "a");
    proxy.subscribeAll();

    // One change: the route moves from "old" to "new", and "old" is gone.
    harness.cache().set("a", resources(secret("default"), cluster("new"), endpoints("new", 8002),
        listener("in", "routes"), route("routes", "svc", "new")));
    harness.flush();

    DiscoveryResponse clusters = proxy.take();
    assertThat(clusters.getTypeUrl()).isEqualTo(ResourceType.CLUSTER.typeUrl());
    assertThat(names(clusters)).as("the new cluster is added, the old one kept").containsExactly("new", "old");
    DiscoveryResponse endpoints = proxy.take();
    assertThat(names(endpoints)).containsExactly("new");
    DiscoveryResponse routes = proxy.take();
    assertThat(routes.getResources(0).unpack(RouteConfiguration.class).getVirtualHosts(0).getRoutes(0)
        .getRoute().getCluster()).isEqualTo("new");
    assertThat(harness.status("a", ResourceType.CLUSTER).sentNonce())
        .as("nothing more before the proxy accepted the routes").isEqualTo(clusters.getNonce());

    proxy.ack(clusters);
    proxy.ack(endpoints);
    proxy.ack(routes);
    DiscoveryResponse removal = proxy.take();

    assertThat(removal.getTypeUrl()).isEqualTo(ResourceType.CLUSTER.typeUrl());
    assertThat(names(removal)).containsExactly("new");
    proxy.ack(removal);
    await().until(() -> harness.status("a").inSync());
  }

  @Test
  void aNackHoldsTheRemovalBack() throws Exception {
    harness.cache().set("a", before);
    SotwProxy proxy = new SotwProxy(harness.sotw(), "a");
    proxy.subscribeAll();
    harness.cache().set("a", resources(secret("default"), cluster("new"), endpoints("new", 8002),
        listener("in", "routes"), route("routes", "svc", "new")));
    harness.flush();
    DiscoveryResponse clusters = proxy.take();
    DiscoveryResponse endpoints = proxy.take();
    DiscoveryResponse routes = proxy.take();

    proxy.ack(clusters);
    proxy.ack(endpoints);
    proxy.send(DiscoveryRequest.newBuilder().setTypeUrl(routes.getTypeUrl()).setResponseNonce(routes.getNonce())
        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage("no")).build());
    await().untilAsserted(() -> assertThat(harness.status("a", ResourceType.ROUTE).lastNack()).isNotNull());

    assertThat(harness.status("a", ResourceType.CLUSTER).sentNonce())
        .as("the proxy still routes to 'old': it stays").isEqualTo(clusters.getNonce());
  }

  @Test
  void deltaSendsRemovalsLastInListenerRouteClusterOrder() throws Exception {
    harness.cache().set("a", before);
    StreamClient<DeltaDiscoveryRequest, DeltaDiscoveryResponse> client = harness.delta();
    List<DeltaDiscoveryResponse> firsts = new ArrayList<>();
    for (ResourceType type : ResourceType.values()) {
      DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl());
      if (type == ResourceType.SECRET) {
        request.setNode(node("a"));
      }
      firsts.add(client.send(request.build()).next());
    }
    for (DeltaDiscoveryResponse response : firsts) {
      client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
          .setResponseNonce(response.getNonce()).build());
    }
    await().until(() -> harness.status("a").inSync());

    // Everything moves to new names: every old one is removed, after every new one was accepted.
    harness.cache().set("a", resources(secret("cert2"), cluster("new"), endpoints("new", 8002),
        listener("in2", "routes2"), route("routes2", "svc", "new")));
    harness.flush();
    List<String> received = new ArrayList<>();
    List<DeltaDiscoveryResponse> updates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      DeltaDiscoveryResponse update = client.next();
      assertThat(update.getRemovedResourcesList()).isEmpty();
      received.add(ResourceType.ofTypeUrl(update.getTypeUrl()).orElseThrow().shortName());
      updates.add(update);
    }
    for (DeltaDiscoveryResponse update : updates) {
      client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(update.getTypeUrl())
          .setResponseNonce(update.getNonce()).build());
    }
    Map<String, List<String>> removals = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      DeltaDiscoveryResponse removal = client.next();
      assertThat(removal.getResourcesList()).isEmpty();
      String type = ResourceType.ofTypeUrl(removal.getTypeUrl()).orElseThrow().shortName();
      received.add(type);
      removals.put(type, removal.getRemovedResourcesList());
    }

    assertThat(received).containsExactly("sds", "cds", "eds", "lds", "rds", "lds", "rds", "cds", "eds", "sds");
    assertThat(removals).containsEntry("lds", List.of("in")).containsEntry("cds", List.of("old"))
        .containsEntry("sds", List.of("default"));
  }

  @Test
  void changesAreDebouncedByTheQuietTime() throws Exception {
    harness.cache().set("a", before);
    SotwProxy proxy = new SotwProxy(harness.sotw(), "a");
    proxy.subscribeAll();
    String sent = harness.status("a", ResourceType.CLUSTER).sentNonce();

    harness.cache().set("a", replaceCluster(1));
    harness.scheduler.advance(ms(60));
    harness.cache().set("a", replaceCluster(2));
    harness.scheduler.advance(ms(99));
    assertThat(harness.status("a", ResourceType.CLUSTER).sentNonce()).as("still changing").isEqualTo(sent);

    harness.scheduler.advance(ms(1));
    assertThat(harness.status("a", ResourceType.CLUSTER).sentNonce()).isNotEqualTo(sent);
    DiscoveryResponse pushed = proxy.take();
    assertThat(pushed.getResources(0).unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class)
        .getConnectTimeout().getSeconds()).as("one push with the latest content").isEqualTo(2);
    assertThat(harness.metrics.get("outrigger.xds.pushes").tag("type", "cds").counter().count()).isEqualTo(2);
  }

  @Test
  void changesThatNeverPauseArePushedAfterTheMaximumDelay() throws Exception {
    harness.cache().set("a", before);
    SotwProxy proxy = new SotwProxy(harness.sotw(), "a");
    proxy.subscribeAll();
    String sent = harness.status("a", ResourceType.CLUSTER).sentNonce();

    for (int i = 1; i < 200; i++) { // a change every 50 ms, for 9.95 s
      harness.cache().set("a", replaceCluster(i));
      harness.scheduler.advance(ms(50));
    }
    assertThat(harness.status("a", ResourceType.CLUSTER).sentNonce()).isEqualTo(sent);
    harness.cache().set("a", replaceCluster(500));
    harness.scheduler.advance(ms(50));

    assertThat(harness.status("a", ResourceType.CLUSTER).sentNonce()).as("10 s after the first change")
        .isNotEqualTo(sent);
    assertThat(proxy.take().getTypeUrl()).isEqualTo(ResourceType.CLUSTER.typeUrl());
  }

  @Test
  void onlyProxiesWhoseResourcesChangedArePushed() throws Exception {
    harness.cache().set("a", before);
    harness.cache().set("b", before);
    SotwProxy a = new SotwProxy(harness.sotw(), "a");
    SotwProxy b = new SotwProxy(harness.sotw(), "b");
    a.subscribeAll();
    b.subscribeAll();
    String bSent = harness.status("b", ResourceType.CLUSTER).sentNonce();
    double pushes = harness.metrics.get("outrigger.xds.pushes").tag("type", "cds").counter().count();

    harness.cache().set("b", before); // the same again: not a change
    harness.cache().set("a", replaceCluster(3));
    harness.flush();

    assertThat(a.take().getTypeUrl()).isEqualTo(ResourceType.CLUSTER.typeUrl());
    assertThat(harness.status("b", ResourceType.CLUSTER).sentNonce()).isEqualTo(bSent);
    assertThat(harness.metrics.get("outrigger.xds.pushes").tag("type", "cds").counter().count())
        .isEqualTo(pushes + 1);
  }

  Resources replaceCluster(int timeoutSeconds) {
    return resources(secret("default"), cluster("old", timeoutSeconds), endpoints("old", 8001),
        listener("in", "routes"), route("routes", "svc", "old"));
  }

  /** A SotW client that subscribes like Envoy: everything of every type, by wildcard. */
  static final class SotwProxy {
    private final StreamClient<DiscoveryRequest, DiscoveryResponse> client;
    private final String nodeId;

    SotwProxy(StreamClient<DiscoveryRequest, DiscoveryResponse> client, String nodeId) {
      this.client = client;
      this.nodeId = nodeId;
    }

    /** Subscribes to every type and ACKs each first response. */
    void subscribeAll() throws InterruptedException {
      for (ResourceType type : ResourceType.values()) {
        ack(client.send(DiscoveryRequest.newBuilder().setNode(node(nodeId)).setTypeUrl(type.typeUrl()).build())
            .next());
      }
    }

    DiscoveryResponse take() throws InterruptedException {
      return client.next();
    }

    ResourceType takeAndAck() throws InterruptedException {
      DiscoveryResponse response = take();
      ack(response);
      return ResourceType.ofTypeUrl(response.getTypeUrl()).orElseThrow();
    }

    void ack(DiscoveryResponse response) {
      client.send(SotwProtocolTest.ack(response));
    }

    void send(DiscoveryRequest request) {
      client.send(request);
    }
  }
}
