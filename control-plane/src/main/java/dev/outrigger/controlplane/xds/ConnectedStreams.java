package dev.outrigger.controlplane.xds;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The open ADS streams by node id (usually one each; two while a proxy reconnects). Pushes fan
 * out over an executor in slices: each stream's push holds only that stream's lock, so slices run
 * in parallel, and a push still running when the next batch comes is simply pushed again.
 */
final class ConnectedStreams {
  /** Streams per task: enough to outweigh a task's cost, few enough to spread a batch over the threads. */
  private static final int SLICE = 64;

  private final ConcurrentHashMap<String, Set<AdsStream<?, ?>>> byNode = new ConcurrentHashMap<>();
  private final Executor pushes;

  ConnectedStreams(Executor pushes) {
    this.pushes = pushes;
  }

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
    List<AdsStream<?, ?>> slice = new ArrayList<>(SLICE);
    for (String nodeId : nodeIds) {
      Set<AdsStream<?, ?>> streams = byNode.get(nodeId);
      if (streams != null) {
        slice.addAll(streams);
      }
      if (slice.size() >= SLICE) {
        pushAll(slice);
        slice = new ArrayList<>(SLICE);
      }
    }
    if (!slice.isEmpty()) {
      pushAll(slice);
    }
  }

  private void pushAll(List<AdsStream<?, ?>> slice) {
    pushes.execute(() -> slice.forEach(AdsStream::push));
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
