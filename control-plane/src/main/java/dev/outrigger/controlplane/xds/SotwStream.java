package dev.outrigger.controlplane.xds;

import dev.outrigger.controlplane.xds.ProxyStatus.Protocol;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code StreamAggregatedResources}: state of the world. Per type, each response carries every
 * subscribed resource; its version_info is a hash of those resources' names and versions, so a
 * response is sent only when that set differs from the latest one sent. Requests answering an
 * older response than the latest (a stale nonce) are ignored whole.
 */
final class SotwStream extends AdsStream<DiscoveryRequest, DiscoveryResponse> {
  private final Map<ResourceType, Subscription> subscriptions = new EnumMap<>(ResourceType.class);

  SotwStream(AdsContext context, StreamObserver<DiscoveryResponse> responses) {
    super(context, responses);
  }

  @Override
  Protocol protocol() {
    return Protocol.STATE_OF_THE_WORLD;
  }

  @Override
  Node nodeOf(DiscoveryRequest request) {
    return request.getNode();
  }

  @Override
  String typeUrlOf(DiscoveryRequest request) {
    return request.getTypeUrl();
  }

  @Override
  void handle(ResourceType type, DiscoveryRequest request) {
    TypeProgress progress = progress(type);
    String nonce = request.getResponseNonce();
    // A nonce before anything was sent on this stream comes from an earlier stream: a first request.
    if (!nonce.isEmpty() && !progress.nothingSent()) {
      if (!nonce.equals(progress.sentNonce())) {
        return; // stale: a newer response is on its way to the proxy
      }
      if (progress.awaits(nonce)) {
        answer(type, nonce, request.getErrorDetail());
      }
    }
    subscriptions.computeIfAbsent(type, t -> new Subscription()).update(request.getResourceNamesList());
    sendUpdates(type);
  }

  @Override
  boolean subscribed(ResourceType type) {
    return subscriptions.containsKey(type);
  }

  @Override
  void sendUpdates(ResourceType type) {
    Subscription subscription = subscriptions.get(type);
    SortedMap<String, Resource> current = snapshot().resources().of(type);
    SortedMap<String, Resource> content = subscription.select(current);
    if (type.completeState()) {
      // Leaving a listener or cluster out deletes it: keep the removed ones until removal time.
      content = withRemoved(subscription, current, content);
    }
    sendIfNew(type, content);
  }

  /** {@code content} and what was sent but is no longer {@code current}; a copy only if there is such. */
  private static SortedMap<String, Resource> withRemoved(Subscription subscription,
      SortedMap<String, Resource> current, SortedMap<String, Resource> content) {
    if (subscription.sent == current) {
      return content;
    }
    SortedMap<String, Resource> kept = null;
    for (Map.Entry<String, Resource> sent : subscription.sent.entrySet()) {
      if (!current.containsKey(sent.getKey()) && subscription.includes(sent.getKey())) {
        kept = kept != null ? kept : new TreeMap<>(content);
        kept.putIfAbsent(sent.getKey(), sent.getValue());
      }
    }
    return kept != null ? kept : content;
  }

  @Override
  boolean sendRemovals(ResourceType type) {
    if (!type.completeState()) {
      return false;
    }
    Subscription subscription = subscriptions.get(type);
    return sendIfNew(type, subscription.select(snapshot().resources().of(type)));
  }

  /** Sends {@code content} unless the proxy was sent exactly that last; the first time always. */
  private boolean sendIfNew(ResourceType type, SortedMap<String, Resource> content) {
    TypeProgress progress = progress(type);
    // Proxies of one shape share their resources, and so this version: hashed once, not per stream.
    String version = content == snapshot().resources().of(type) ? snapshot().resources().version(type)
        : Resources.versionOf(content);
    if (!progress.nothingSent() && version.equals(progress.sentVersion())) {
      return false;
    }
    String nonce = nextNonce();
    DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
        .setTypeUrl(type.typeUrl())
        .setVersionInfo(version)
        .setNonce(nonce);
    content.values().forEach(resource -> response.addResources(resource.body()));
    emit(type, nonce, version, response.build(), true);
    subscriptions.get(type).sent = content;
    return true;
  }

  /** Which names of one type the proxy asked for, and what it was last sent. */
  private static final class Subscription {
    private boolean wildcard;
    private boolean askedByName;
    private Set<String> names = Set.of();
    private SortedMap<String, Resource> sent = new TreeMap<>();

    /**
     * {@code *} asks for everything; so does an empty list as long as the stream never named a
     * resource of this type (legacy wildcard). After that an empty list unsubscribes all.
     */
    void update(List<String> requested) {
      askedByName |= !requested.isEmpty();
      wildcard = requested.contains("*") || !askedByName;
      names = new HashSet<>(requested);
      names.remove("*");
    }

    boolean includes(String name) {
      return wildcard || names.contains(name);
    }

    /** The subscribed ones of {@code available}: that map itself (immutable) for a wildcard. */
    SortedMap<String, Resource> select(SortedMap<String, Resource> available) {
      if (wildcard) {
        return available;
      }
      SortedMap<String, Resource> selected = new TreeMap<>();
      available.forEach((name, resource) -> {
        if (includes(name)) {
          selected.put(name, resource);
        }
      });
      return selected;
    }
  }
}
