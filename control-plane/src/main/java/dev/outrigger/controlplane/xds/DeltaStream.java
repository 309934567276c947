package dev.outrigger.controlplane.xds;

import dev.outrigger.controlplane.xds.ProxyStatus.Protocol;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code DeltaAggregatedResources}: incremental. Per type the stream knows the version of every
 * resource the proxy holds (from {@code initial_resource_versions} on reconnect, then from what it
 * was sent) and sends only resources whose version differs, and {@code removed_resources} for what
 * it holds that no longer exists. Versions are recorded when sent; a NACKed resource is therefore
 * not resent until its content changes, as with a SotW response.
 */
final class DeltaStream extends AdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  private final Map<ResourceType, Subscription> subscriptions = new EnumMap<>(ResourceType.class);

  DeltaStream(AdsContext context, StreamObserver<DeltaDiscoveryResponse> responses) {
    super(context, responses);
  }

  @Override
  Protocol protocol() {
    return Protocol.DELTA;
  }

  @Override
  Node nodeOf(DeltaDiscoveryRequest request) {
    return request.getNode();
  }

  @Override
  String typeUrlOf(DeltaDiscoveryRequest request) {
    return request.getTypeUrl();
  }

  @Override
  void handle(ResourceType type, DeltaDiscoveryRequest request) {
    String nonce = request.getResponseNonce();
    if (!nonce.isEmpty() && progress(type).awaits(nonce)) {
      answer(type, nonce, request.getErrorDetail());
    }
    Subscription subscription = subscriptions.get(type);
    boolean first = subscription == null;
    if (first) {
      subscription = new Subscription();
      subscription.held.putAll(request.getInitialResourceVersionsMap());
      subscriptions.put(type, subscription);
    }
    subscription.subscribe(request.getResourceNamesSubscribeList());
    subscription.unsubscribe(request.getResourceNamesUnsubscribeList());
    send(type, changed(type), List.of(), first);
  }

  @Override
  boolean subscribed(ResourceType type) {
    return subscriptions.containsKey(type);
  }

  @Override
  void sendUpdates(ResourceType type) {
    send(type, changed(type), List.of(), false);
  }

  @Override
  boolean sendRemovals(ResourceType type) {
    Subscription subscription = subscriptions.get(type);
    SortedMap<String, Resource> current = snapshot().resources().of(type);
    List<String> removed = new ArrayList<>();
    subscription.held.keySet().forEach(name -> {
      if (!current.containsKey(name) && subscription.includes(name)) {
        removed.add(name);
      }
    });
    return send(type, List.of(), removed, false);
  }

  private List<Resource> changed(ResourceType type) {
    Subscription subscription = subscriptions.get(type);
    List<Resource> changed = new ArrayList<>();
    snapshot().resources().of(type).forEach((name, resource) -> {
      if (subscription.includes(name) && !resource.version().equals(subscription.held.get(name))) {
        changed.add(resource);
      }
    });
    return changed;
  }

  /** Sends the changes, if any (or always when {@code evenIfEmpty}: the answer to a first request). */
  private boolean send(ResourceType type, List<Resource> changed, List<String> removed, boolean evenIfEmpty) {
    if (changed.isEmpty() && removed.isEmpty() && !evenIfEmpty) {
      return false;
    }
    Subscription subscription = subscriptions.get(type);
    String nonce = nextNonce();
    DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder()
        .setTypeUrl(type.typeUrl())
        .setNonce(nonce)
        .addAllRemovedResources(removed);
    for (Resource resource : changed) {
      response.addResources(io.envoyproxy.envoy.service.discovery.v3.Resource.newBuilder()
          .setName(resource.name())
          .setVersion(resource.version())
          .setResource(resource.body()));
      subscription.held.put(resource.name(), resource.version());
    }
    removed.forEach(subscription.held::remove);
    String version = subscription.systemVersion();
    emit(type, nonce, version, response.setSystemVersionInfo(version).build(), false);
    return true;
  }

  /** Which names of one type the proxy subscribed to, and the version of each resource it holds. */
  private static final class Subscription {
    private boolean wildcard;
    private boolean askedByName;
    private final Set<String> names = new HashSet<>();
    private final SortedMap<String, String> held = new TreeMap<>();

    void subscribe(List<String> subscribe) {
      askedByName |= !subscribe.isEmpty();
      for (String name : subscribe) {
        if (name.equals("*")) {
          wildcard = true;
        } else {
          names.add(name);
        }
      }
    }

    /** The proxy drops what it unsubscribes by itself: nothing to remove, nothing held. */
    void unsubscribe(List<String> unsubscribe) {
      askedByName |= !unsubscribe.isEmpty();
      for (String name : unsubscribe) {
        if (name.equals("*")) {
          wildcard = false;
        } else {
          names.remove(name);
          held.remove(name);
        }
      }
    }

    /**
     * {@code *} subscribes to everything; so does never having named anything (legacy wildcard,
     * over as soon as the stream names a resource of this type).
     */
    boolean includes(String name) {
      return wildcard || !askedByName || names.contains(name);
    }

    /** A hash of every held resource's name and version: the proxy's state of this type. */
    String systemVersion() {
      StringBuilder text = new StringBuilder();
      held.forEach((name, version) -> text.append(name).append('\0').append(version).append('\n'));
      return Resource.Versions.hash(text.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
