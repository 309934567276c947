package dev.outrigger.proxy.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code DeltaAggregatedResources}: responses carry only what changed and what was removed;
 * requests carry subscription changes, and on a new stream the versions the proxy already holds
 * ({@code initial_resource_versions}), so a reconnect does not resend them.
 */
final class DeltaStream implements AdsStream {
  private final Node node;
  private final StreamObserver<DeltaDiscoveryRequest> requests;
  private final Map<XdsType, Set<String>> names = new EnumMap<>(XdsType.class);

  DeltaStream(Channel channel, Node node, Events events) {
    this.node = node;
    this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(
        new StreamObserver<>() {
          @Override
          public void onNext(DeltaDiscoveryResponse response) {
            XdsType type = XdsType.ofTypeUrl(response.getTypeUrl());
            if (type != null) {
              events.onUpdate(DeltaStream.this, decode(type, response));
            }
          }

          @Override
          public void onError(Throwable cause) {
            events.onClosed(DeltaStream.this, cause);
          }

          @Override
          public void onCompleted() {
            events.onClosed(DeltaStream.this, null);
          }
        });
  }

  /**
   * The first request of a type subscribes its names (none: the wildcard) and says what is held;
   * later ones send only the difference.
   */
  @Override
  public void subscribe(XdsType type, Set<String> subscribed, String acceptedVersion, Map<String, String> held) {
    DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl());
    Set<String> previous = names.put(type, Set.copyOf(subscribed));
    if (previous == null) {
      request.addAllResourceNamesSubscribe(subscribed).putAllInitialResourceVersions(held);
    } else {
      Set<String> added = new HashSet<>(subscribed);
      added.removeAll(previous);
      Set<String> removed = new HashSet<>(previous);
      removed.removeAll(subscribed);
      if (added.isEmpty() && removed.isEmpty()) {
        return;
      }
      request.addAllResourceNamesSubscribe(added).addAllResourceNamesUnsubscribe(removed);
    }
    send(request);
  }

  @Override
  public void ack(Update update) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(update.type().typeUrl()).setResponseNonce(update.nonce()));
  }

  @Override
  public void nack(Update update, String acceptedVersion, String message) {
    send(DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(update.type().typeUrl())
        .setResponseNonce(update.nonce())
        .setErrorDetail(Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message)));
  }

  @Override
  public void close() {
    ((ClientCallStreamObserver<DeltaDiscoveryRequest>) requests).cancel("the xDS client closed", null);
  }

  /** Every request carries the node, as Envoy's do by default: some servers look at each one's. */
  private void send(DeltaDiscoveryRequest.Builder request) {
    requests.onNext(request.setNode(node).build());
  }

  private static Update decode(XdsType type, DeltaDiscoveryResponse response) {
    Map<String, Message> resources = new HashMap<>();
    Map<String, String> versions = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (Resource resource : response.getResourcesList()) {
      try {
        Message decoded = type.decode(resource.getResource());
        String name = resource.getName().isEmpty() ? XdsType.nameOf(decoded) : resource.getName();
        resources.put(name, decoded);
        versions.put(name, resource.getVersion());
      } catch (InvalidProtocolBufferException e) {
        problems.add(type.label() + "[" + resource.getName() + "]: cannot decode: " + e.getMessage());
      }
    }
    return new Update(type, response.getSystemVersionInfo(), response.getNonce(), false, resources, versions,
        Set.copyOf(response.getRemovedResourcesList()), problems);
  }
}
