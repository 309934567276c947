package dev.outrigger.controlplane.xds;

import static dev.outrigger.controlplane.xds.Fixtures.cluster;
import static dev.outrigger.controlplane.xds.Fixtures.endpoints;
import static dev.outrigger.controlplane.xds.Fixtures.resources;
import static dev.outrigger.controlplane.xds.XdsHarness.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DeltaAggregatedResources over real gRPC: only changes, removals, reconnects, subscriptions. */
class DeltaProtocolTest {
  static final String CDS = ResourceType.CLUSTER.typeUrl();
  static final String EDS = ResourceType.ENDPOINT.typeUrl();

  XdsHarness harness;
  StreamClient<DeltaDiscoveryRequest, DeltaDiscoveryResponse> client;

  @BeforeEach
  void start() throws Exception {
    harness = new XdsHarness();
    harness.cache().set("a", resources(cluster("one"), cluster("two"), endpoints("one", 8001),
        endpoints("two", 8002)));
    client = harness.delta();
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void theFirstResponseCarriesEveryResourceWithItsVersion() throws Exception {
    DeltaDiscoveryResponse response = client.send(wildcard(CDS)).next();

    assertThat(versions(response)).containsOnlyKeys("one", "two");
    assertThat(versions(response).get("one"))
        .isEqualTo(harness.cache().get("a").orElseThrow().of(ResourceType.CLUSTER).get("one").version());
    assertThat(response.getRemovedResourcesList()).isEmpty();
    assertThat(response.getSystemVersionInfo()).isNotEmpty();
  }

  @Test
  void anUpdateSendsOnlyWhatChanged() throws Exception {
    acknowledge(client.send(wildcard(CDS)).next());

    harness.cache().set("a", resources(cluster("one", 4), cluster("two"), endpoints("one", 8001),
        endpoints("two", 8002)));
    harness.flush();
    DeltaDiscoveryResponse update = client.next();

    assertThat(versions(update)).containsOnlyKeys("one");
    assertThat(update.getRemovedResourcesList()).isEmpty();
  }

  @Test
  void aResourceGoneFromTheCacheIsSentAsRemoved() throws Exception {
    acknowledge(client.send(wildcard(CDS)).next());

    harness.cache().set("a", resources(cluster("one"), endpoints("one", 8001)));
    harness.flush();
    DeltaDiscoveryResponse removal = client.next();

    assertThat(removal.getResourcesList()).isEmpty();
    assertThat(removal.getRemovedResourcesList()).containsExactly("two");
  }

  @Test
  void aReconnectWithInitialVersionsGetsOnlyWhatDiffers() throws Exception {
    String current = harness.cache().get("a").orElseThrow().of(ResourceType.CLUSTER).get("one").version();

    DeltaDiscoveryResponse initial = client.send(DeltaDiscoveryRequest.newBuilder().setNode(node("a"))
        .setTypeUrl(CDS)
        .putInitialResourceVersions("one", current)
        .putInitialResourceVersions("two", "outdated")
        .putInitialResourceVersions("gone", "whatever")
        .build()).next();
    assertThat(versions(initial)).as("the proxy holds 'one' at the current version already")
        .containsOnlyKeys("two");
    assertThat(initial.getRemovedResourcesList()).isEmpty();

    client.send(ack(initial));
    DeltaDiscoveryResponse removal = client.next();
    assertThat(removal.getResourcesList()).isEmpty();
    assertThat(removal.getRemovedResourcesList()).containsExactly("gone");
  }

  @Test
  void aReconnectHoldingEverythingGetsAnEmptyAnswer() throws Exception {
    Map<String, String> held = harness.cache().get("a").orElseThrow().of(ResourceType.CLUSTER).values().stream()
        .collect(Collectors.toMap(r -> r.name(), r -> r.version()));

    DeltaDiscoveryResponse initial = client.send(DeltaDiscoveryRequest.newBuilder().setNode(node("a"))
        .setTypeUrl(CDS).putAllInitialResourceVersions(held).build()).next();

    assertThat(initial.getResourcesList()).isEmpty();
    assertThat(initial.getRemovedResourcesList()).isEmpty();
  }

  @Test
  void subscribeAndUnsubscribeByName() throws Exception {
    DeltaDiscoveryResponse one = client.send(DeltaDiscoveryRequest.newBuilder().setNode(node("a"))
        .setTypeUrl(EDS).addResourceNamesSubscribe("one").build()).next();
    assertThat(versions(one)).containsOnlyKeys("one");
    acknowledge(one);

    DeltaDiscoveryResponse two = client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS)
        .addResourceNamesSubscribe("two").build()).next();
    assertThat(versions(two)).as("only the newly subscribed name").containsOnlyKeys("two");
    acknowledge(two);

    client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS).addResourceNamesUnsubscribe("one").build());
    // A barrier: once CDS is answered, the unsubscription (sent before it) has been applied.
    client.send(wildcard(CDS)).next();
    harness.cache().set("a", resources(cluster("one"), cluster("two"), endpoints("one", 9999),
        endpoints("two", 8002)));
    harness.flush();

    assertThat(harness.status("a", ResourceType.ENDPOINT).sentNonce())
        .as("no push for a resource nobody subscribes to").isEqualTo(two.getNonce());

    DeltaDiscoveryResponse wildcard = client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS)
        .addResourceNamesSubscribe("*").build()).next();
    assertThat(versions(wildcard)).as("'*' adds what the proxy does not hold yet").containsOnlyKeys("one");
  }

  @Test
  void theLegacyWildcardEndsWhenTheStreamNamesAResource() throws Exception {
    acknowledge(client.send(wildcard(EDS)).next());
    // Nothing to send: the proxy holds "one" already.
    client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS).addResourceNamesSubscribe("one").build());
    // A barrier: once CDS is answered, the subscription (sent before it) has been applied.
    client.send(wildcard(CDS)).next();

    harness.cache().set("a", resources(cluster("one"), cluster("two"), endpoints("one", 9001),
        endpoints("two", 9002)));
    harness.flush();

    assertThat(versions(client.next())).as("'two' is no longer subscribed").containsOnlyKeys("one");
  }

  @Test
  void aNackIsRecordedAndTheProxyKeepsItsAcceptedVersion() throws Exception {
    DeltaDiscoveryResponse first = client.send(wildcard(CDS)).next();
    acknowledge(first);
    harness.cache().set("a", resources(cluster("one", 3), cluster("two")));
    harness.flush();
    DeltaDiscoveryResponse rejected = client.next();

    client.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS).setResponseNonce(rejected.getNonce())
        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage("bad cluster one")).build());

    await().untilAsserted(() -> assertThat(harness.status("a", ResourceType.CLUSTER).lastNack()).isNotNull());
    ProxyStatus.TypeStatus status = harness.status("a", ResourceType.CLUSTER);
    assertThat(status.ackedVersion()).isEqualTo(first.getSystemVersionInfo());
    assertThat(status.lastNack().message()).isEqualTo("bad cluster one");
    assertThat(status.lastNack().version()).isEqualTo(rejected.getSystemVersionInfo());
  }

  void acknowledge(DeltaDiscoveryResponse response) {
    client.send(ack(response));
    ResourceType type = ResourceType.ofTypeUrl(response.getTypeUrl()).orElseThrow();
    await().untilAsserted(() -> assertThat(harness.status("a", type).ackedVersion())
        .isEqualTo(response.getSystemVersionInfo()));
  }

  static DeltaDiscoveryRequest wildcard(String typeUrl) {
    return DeltaDiscoveryRequest.newBuilder().setNode(node("a")).setTypeUrl(typeUrl).build();
  }

  static DeltaDiscoveryRequest ack(DeltaDiscoveryResponse response) {
    return DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
        .setResponseNonce(response.getNonce()).build();
  }

  static Map<String, String> versions(DeltaDiscoveryResponse response) {
    List<Resource> resources = response.getResourcesList();
    return resources.stream().collect(Collectors.toMap(Resource::getName, Resource::getVersion));
  }
}
