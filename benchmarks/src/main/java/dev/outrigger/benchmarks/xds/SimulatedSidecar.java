package dev.outrigger.benchmarks.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.outrigger.controlplane.translate.Workload;
import dev.outrigger.controlplane.xds.ResourceType;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sidecar as the control plane sees it: an ADS stream (state of the world) of a node that
 * declares its workload in its metadata, subscribed to every type by wildcard, ACKing each
 * response at once. It records when it first ACKed each type, when it last ACKed anything, and
 * when it ACKed the routes holding an awaited marker.
 */
final class SimulatedSidecar implements StreamObserver<DiscoveryResponse> {
  private static final Set<ResourceType> TYPES = EnumSet.of(ResourceType.CLUSTER,
      ResourceType.ENDPOINT, ResourceType.LISTENER, ResourceType.ROUTE);

  private final Node node;
  private final AtomicLong activity;
  private StreamObserver<DiscoveryRequest> requests;
  private final Set<ResourceType> acked = EnumSet.noneOf(ResourceType.class);
  private volatile boolean complete;
  private volatile boolean failed;
  private volatile String awaitedMarker;
  private volatile long markerAckedAt;

  /** {@code activity}: set to the time of every response any sidecar receives. */
  SimulatedSidecar(String nodeId, String namespace, String service, String address, AtomicLong activity) {
    this.node = Node.newBuilder().setId(nodeId).setMetadata(Struct.newBuilder()
        .putFields(Workload.SERVICE, string(service))
        .putFields(Workload.NAMESPACE, string(namespace))
        .putFields(Workload.SERVICE_ACCOUNT, string(service))
        .putFields(Workload.ADDRESS, string(address))
        .putFields(Workload.INBOUND_PORTS, Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("http", Value.newBuilder().setNumberValue(9000).build())).build()))
        .build();
    this.activity = activity;
  }

  void start(ManagedChannel channel) {
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
    synchronized (this) {
      for (ResourceType type : TYPES) {
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type.typeUrl()).build());
      }
    }
  }

  /** True once every type was received and ACKed at least once. */
  boolean complete() {
    return complete;
  }

  boolean failed() {
    return failed;
  }

  /** From now on, the time the routes holding {@code marker} are ACKed is recorded. */
  void await(String marker) {
    markerAckedAt = 0;
    awaitedMarker = marker;
  }

  /** When the routes with the awaited marker were ACKed ({@link System#nanoTime()}), or 0. */
  long markerAckedAt() {
    return markerAckedAt;
  }

  @Override
  public synchronized void onNext(DiscoveryResponse response) {
    activity.set(System.nanoTime());
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
        .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
    ResourceType type = TYPES.stream().filter(t -> t.typeUrl().equals(response.getTypeUrl())).findFirst().orElseThrow();
    if (type == ResourceType.ROUTE && markerAckedAt == 0 && holdsMarker(response)) {
      markerAckedAt = System.nanoTime();
    }
    if (!complete && acked.add(type) && acked.containsAll(TYPES)) {
      complete = true;
    }
  }

  private boolean holdsMarker(DiscoveryResponse response) {
    String marker = awaitedMarker;
    if (marker == null) {
      return false;
    }
    for (Any resource : response.getResourcesList()) {
      if (resource.getValue().toString(StandardCharsets.ISO_8859_1).contains(marker)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void onError(Throwable t) {
    failed = true;
  }

  @Override
  public void onCompleted() {
    failed = true;
  }

  void close() {
    synchronized (this) {
      requests.onCompleted();
    }
  }

  private static Value string(String text) {
    return Value.newBuilder().setStringValue(text).build();
  }
}
