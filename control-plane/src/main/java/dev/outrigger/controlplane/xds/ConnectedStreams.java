package dev.outrigger.controlplane.xds;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open ADS streams by node id (usually one each; two while a proxy reconnects). */
final class ConnectedStreams {
  private final ConcurrentHashMap<String, Set<AdsStream<?, ?>>> byNode = new ConcurrentHashMap<>();

  void add(AdsStream<?, ?> stream) {
    byNode.computeIfAbsent(stream.nodeId(), id -> ConcurrentHashMap.newKeySet()).add(stream);
  }

  void remove(AdsStream<?, ?> stream) {
    byNode.computeIfPresent(stream.nodeId(), (id, streams) -> {
      streams.remove(stream);
      return streams.isEmpty() ? null : streams;
    });
  }

  /** Pushes the current resources to every stream of {@code nodeIds}; the others are untouched. */
  void push(Set<String> nodeIds) {
    for (String nodeId : nodeIds) {
      Set<AdsStream<?, ?>> streams = byNode.get(nodeId);
      if (streams != null) {
        streams.forEach(AdsStream::push);
      }
    }
  }

  int connectedProxies() {
    return byNode.size();
  }

  List<ProxyStatus> status() {
    List<ProxyStatus> all = new ArrayList<>();
    byNode.values().forEach(streams -> streams.forEach(stream -> all.add(stream.status())));
    return all;
  }
}
