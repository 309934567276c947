package dev.outrigger.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code StreamAggregatedResources}: every response is the type's whole set; a request carries
 * the subscription, the accepted version and the nonce it answers.
 */
final class SotwStream implements AdsStream {
  private final Node node;
  private final StreamObserver<DiscoveryRequest> requests;
  private final Map<XdsType, Set<String>> names = new EnumMap<>(XdsType.class);
  private final Map<XdsType, String> nonces = new EnumMap<>(XdsType.class);

  SotwStream(Channel channel, Node node, Events events) {
    this.node = node;
    this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {
            XdsType type = XdsType.ofTypeUrl(response.getTypeUrl());
            if (type != null) {
              events.onUpdate(SotwStream.this, decode(type, response));
            }
          }

          @Override
          public void onError(Throwable cause) {
            events.onClosed(SotwStream.this, cause);
          }

          @Override
          public void onCompleted() {
            events.onClosed(SotwStream.this, null);
          }
        });
  }

  @Override
  public void subscribe(XdsType type, Set<String> subscribed, String acceptedVersion, Map<String, String> held) {
    names.put(type, Set.copyOf(subscribed));
    send(request(type, acceptedVersion));
  }

  @Override
  public void ack(Update update) {
    nonces.put(update.type(), update.nonce());
    send(request(update.type(), update.version()));
  }

  @Override
  public void nack(Update update, String acceptedVersion, String message) {
    nonces.put(update.type(), update.nonce());
    send(request(update.type(), acceptedVersion)
        .setErrorDetail(Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message)));
  }

  @Override
  public void close() {
    ((ClientCallStreamObserver<DiscoveryRequest>) requests).cancel("the xDS client closed", null);
  }

  private DiscoveryRequest.Builder request(XdsType type, String version) {
    return DiscoveryRequest.newBuilder()
        .setTypeUrl(type.typeUrl())
        .setVersionInfo(version)
        .setResponseNonce(nonces.getOrDefault(type, ""))
        .addAllResourceNames(names.getOrDefault(type, Set.of()));
  }

  /** Every request carries the node, as Envoy's do by default: some servers look at each one's. */
  private void send(DiscoveryRequest.Builder request) {
    requests.onNext(request.setNode(node).build());
  }

  private static Update decode(XdsType type, DiscoveryResponse response) {
    Map<String, Message> resources = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < response.getResourcesCount(); i++) {
      Any any = response.getResources(i);
      try {
        Message resource = type.decode(any);
        if (resources.put(XdsType.nameOf(resource), resource) != null) {
          problems.add(type.label() + "[" + i + "]: a second resource named \"" + XdsType.nameOf(resource) + "\"");
        }
      } catch (InvalidProtocolBufferException e) {
        problems.add(type.label() + "[" + i + "]: cannot decode: " + e.getMessage());
      }
    }
    return new Update(type, response.getVersionInfo(), response.getNonce(), true, resources, Map.of(), Set.of(),
        problems);
  }
}
