package dev.outrigger.controlplane.xds;

import static dev.outrigger.controlplane.xds.Fixtures.cluster;
import static dev.outrigger.controlplane.xds.Fixtures.endpoints;
import static dev.outrigger.controlplane.xds.Fixtures.resources;
import static dev.outrigger.controlplane.xds.XdsHarness.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StreamAggregatedResources over real gRPC: versions, nonces, ACK, NACK, stale nonces, subscriptions. */
class SotwProtocolTest {
  static final String CDS = ResourceType.CLUSTER.typeUrl();
  static final String EDS = ResourceType.ENDPOINT.typeUrl();

  XdsHarness harness;
  StreamClient<DiscoveryRequest, DiscoveryResponse> client;

  @BeforeEach
  void start() throws Exception {
    harness = new XdsHarness();
    harness.cache().set("a", resources(cluster("one"), cluster("two"), endpoints("one", 8001),
        endpoints("two", 8002)));
    client = harness.sotw();
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void theFirstResponseCarriesTheCompleteClusterSet() throws Exception {
    DiscoveryResponse response = client.send(first(CDS)).next();

    assertThat(response.getTypeUrl()).isEqualTo(CDS);
    assertThat(response.getVersionInfo()).isNotEmpty();
    assertThat(response.getNonce()).isNotEmpty();
    assertThat(names(response)).containsExactly("one", "two");
    assertThat(harness.status("a", ResourceType.CLUSTER).sentVersion()).isEqualTo(response.getVersionInfo());
  }

  @Test
  void anAckRecordsTheAcceptedVersion() throws Exception {
    DiscoveryResponse response = client.send(first(CDS)).next();
    assertThat(harness.status("a", ResourceType.CLUSTER).ackedVersion()).isNull();

    client.send(ack(response));

    await().untilAsserted(() -> assertThat(harness.status("a", ResourceType.CLUSTER).ackedVersion())
        .isEqualTo(response.getVersionInfo()));
    assertThat(harness.status("a").inSync()).isTrue();
  }

  @Test
  void anUpdatePushesANewVersionWithTheCompleteSet() throws Exception {
    DiscoveryResponse v1 = client.send(first(CDS)).next();
    client.send(ack(v1));

    harness.cache().set("a", resources(cluster("one", 5), cluster("two"), endpoints("one", 8001),
        endpoints("two", 8002)));
    harness.flush();
    DiscoveryResponse v2 = client.next();

    assertThat(v2.getVersionInfo()).isNotEqualTo(v1.getVersionInfo());
    assertThat(v2.getNonce()).isNotEqualTo(v1.getNonce());
    assertThat(names(v2)).as("a CDS response is the complete set, not the one change")
        .containsExactly("one", "two");
    assertThat(v2.getResources(0).unpack(Cluster.class).getConnectTimeout().getSeconds()).isEqualTo(5);
  }

  @Test
  void aNackKeepsThePreviousVersionAsAcceptedAndIsRecorded() throws Exception {
    DiscoveryResponse v1 = client.send(first(CDS)).next();
    acknowledge(v1);
    harness.cache().set("a", resources(cluster("one", 7)));
    harness.flush();
    DiscoveryResponse v2 = client.next();

    client.send(DiscoveryRequest.newBuilder().setTypeUrl(CDS).setVersionInfo(v1.getVersionInfo())
        .setResponseNonce(v2.getNonce())
        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(Status.Code.INVALID_ARGUMENT.value())
            .setMessage("clusters[0]: unsupported field"))
        .build());

    await().untilAsserted(() -> assertThat(harness.status("a", ResourceType.CLUSTER).lastNack()).isNotNull());
    ProxyStatus.TypeStatus status = harness.status("a", ResourceType.CLUSTER);
    assertThat(status.ackedVersion()).isEqualTo(v1.getVersionInfo());
    assertThat(status.sentVersion()).isEqualTo(v2.getVersionInfo());
    assertThat(status.lastNack().version()).isEqualTo(v2.getVersionInfo());
    assertThat(status.lastNack().nonce()).isEqualTo(v2.getNonce());
    assertThat(status.lastNack().message()).isEqualTo("clusters[0]: unsupported field");
    assertThat(status.inSync()).isFalse();
    assertThat(harness.metrics.get("outrigger.xds.nacks").tag("type", "cds").counter().count()).isEqualTo(1);

    // The same content is not sent again: the next response is the answer to a new subscription.
    assertThat(client.send(first(EDS)).next().getTypeUrl()).isEqualTo(EDS);
    assertThat(client.noneWaiting()).isTrue();
  }

  @Test
  void aRequestWithAStaleNonceIsIgnored() throws Exception {
    DiscoveryResponse v1 = client.send(first(CDS)).next();
    harness.cache().set("a", resources(cluster("one", 9)));
    harness.flush();
    DiscoveryResponse v2 = client.next();

    // Answers v1 after v2 was sent: neither its NACK nor its subscription change counts.
    client.send(DiscoveryRequest.newBuilder().setTypeUrl(CDS).setResponseNonce(v1.getNonce())
        .addResourceNames("two")
        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage("late")).build());
    DiscoveryResponse barrier = client.send(first(EDS)).next();

    assertThat(barrier.getTypeUrl()).as("nothing answered the stale request").isEqualTo(EDS);
    ProxyStatus.TypeStatus status = harness.status("a", ResourceType.CLUSTER);
    assertThat(status.lastNack()).isNull();
    assertThat(status.sentNonce()).isEqualTo(v2.getNonce());

    client.send(ack(v2));
    await().untilAsserted(() -> assertThat(harness.status("a", ResourceType.CLUSTER).ackedVersion())
        .isEqualTo(v2.getVersionInfo()));
  }

  @Test
  void aFirstRequestWithANonceOfAnEarlierStreamIsAnswered() throws Exception {
    DiscoveryResponse response = client.send(first(CDS).toBuilder().setVersionInfo("old-version")
        .setResponseNonce("42").build()).next();

    assertThat(names(response)).containsExactly("one", "two");
  }

  @Test
  void namedSubscriptionsGetTheirNamesAndWildcardGetsAll() throws Exception {
    DiscoveryResponse one = client.send(DiscoveryRequest.newBuilder().setNode(node("a")).setTypeUrl(EDS)
        .addResourceNames("one").build()).next();
    assertThat(names(one)).containsExactly("one");

    DiscoveryResponse both = client.send(ack(one).toBuilder().addResourceNames("one").addResourceNames("two")
        .build()).next();
    assertThat(names(both)).containsExactly("one", "two");

    DiscoveryResponse none = client.send(ack(both).toBuilder().addResourceNames("missing").build()).next();
    assertThat(names(none)).as("a name that does not exist is simply not in the response").isEmpty();

    DiscoveryResponse all = client.send(ack(none).toBuilder().addResourceNames("*").build()).next();
    assertThat(names(all)).containsExactly("one", "two");

    StreamClient<DiscoveryRequest, DiscoveryResponse> legacy = harness.sotw();
    assertThat(names(legacy.send(first(CDS)).next())).as("an empty first request is a wildcard")
        .containsExactly("one", "two");
  }

  @Test
  void anEmptyListAfterNamesUnsubscribesEverything() throws Exception {
    DiscoveryResponse one = client.send(DiscoveryRequest.newBuilder().setNode(node("a")).setTypeUrl(EDS)
        .addResourceNames("one").build()).next();
    DiscoveryResponse empty = client.send(ack(one)).next();

    assertThat(names(empty)).isEmpty();
  }

  @Test
  void noResponseForATypeNobodySubscribedTo() throws Exception {
    client.send(first(EDS)).next();
    harness.cache().set("a", resources(cluster("three"), endpoints("one", 9001)));
    harness.flush();

    DiscoveryResponse pushed = client.next();
    assertThat(pushed.getTypeUrl()).isEqualTo(EDS);
    assertThat(harness.status("a").types()).containsOnlyKeys(ResourceType.ENDPOINT);
    assertThat(client.send(first(CDS)).next().getTypeUrl()).isEqualTo(CDS);
    assertThat(client.noneWaiting()).isTrue();
  }

  @Test
  void aFirstRequestWithoutANodeIdIsRefused() throws Exception {
    client.send(DiscoveryRequest.newBuilder().setTypeUrl(CDS).build());

    await().until(() -> client.ended() != null);
    assertThat(client.ended().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  /** ACKs and waits until the server has it, so a push that follows does not make it stale. */
  void acknowledge(DiscoveryResponse response) {
    client.send(ack(response));
    ResourceType type = ResourceType.ofTypeUrl(response.getTypeUrl()).orElseThrow();
    await().untilAsserted(() -> assertThat(harness.status("a", type).ackedVersion())
        .isEqualTo(response.getVersionInfo()));
  }

  static DiscoveryRequest first(String typeUrl) {
    return DiscoveryRequest.newBuilder().setNode(node("a")).setTypeUrl(typeUrl).build();
  }

  static DiscoveryRequest ack(DiscoveryResponse response) {
    return DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
        .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build();
  }

  static List<String> names(DiscoveryResponse response) throws InvalidProtocolBufferException {
    List<String> names = new ArrayList<>();
    for (Any any : response.getResourcesList()) {
      if (any.is(Cluster.class)) {
        names.add(any.unpack(Cluster.class).getName());
      } else if (any.is(ClusterLoadAssignment.class)) {
        names.add(any.unpack(ClusterLoadAssignment.class).getClusterName());
      } else {
        names.add(ResourceType.ofTypeUrl(any.getTypeUrl()).orElseThrow() + "?");
      }
    }
    return names;
  }
}
