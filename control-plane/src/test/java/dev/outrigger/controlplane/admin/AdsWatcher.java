package dev.outrigger.controlplane.admin;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A proxy's side of one ADS stream (state of the world, clusters only): it ACKs every response
 * and keeps the names of the clusters it holds now, as a sidecar would.
 */
public final class AdsWatcher implements AutoCloseable {
  static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  /** Guards {@link #requests}: responses are ACKed from gRPC's threads. */
  private final Object lock = new Object();
  private StreamObserver<DiscoveryRequest> requests;
  private volatile Set<String> clusters = Set.of();

  /** Opens the stream as {@code nodeId}, a sidecar of {@code shop/<service>} in service account {@code sa}. */
  public AdsWatcher(ManagedChannel channel, String nodeId, String service, String serviceAccount) {
    Node node = Node.newBuilder().setId(nodeId).setCluster(service)
        .setMetadata(Struct.newBuilder()
            .putFields("outrigger.service", string(service))
            .putFields("outrigger.namespace", string("shop"))
            .putFields("outrigger.service_account", string(serviceAccount))
            .putFields("outrigger.address", string("127.0.0.1")))
        .build();
    StreamObserver<DiscoveryRequest> opened = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse response) {
        clusters = response.getResourcesList().stream().map(any -> {
          try {
            return any.unpack(Cluster.class).getName();
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
          }
        }).collect(Collectors.toUnmodifiableSet());
        synchronized (lock) {
          requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(CLUSTER).setVersionInfo(response.getVersionInfo())
              .setResponseNonce(response.getNonce()).build());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    synchronized (lock) {
      requests = opened;
      requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CLUSTER).build());
    }
  }

  public Set<String> clusters() {
    return clusters;
  }

  private static Value string(String text) {
    return Value.newBuilder().setStringValue(text).build();
  }

  @Override
  public void close() {
    synchronized (lock) {
      requests.onCompleted();
    }
  }
}
