package dev.outrigger.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What each proxy (by node id) is to receive. The translator calls {@link #set} whenever a
 * proxy's resources may have changed; a set that changes nothing is dropped here, so only proxies
 * whose resources really changed get a push. A node the cache knows nothing about when it
 * connects is resolved through the {@link NodeResolver}.
 */
public final class XdsCache {
  private final ConcurrentHashMap<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final NodeResolver resolver;
  private final Scheduler scheduler;
  private final Consumer<String> changed;

  XdsCache(NodeResolver resolver, Scheduler scheduler, Consumer<String> changed) {
    this.resolver = resolver;
    this.scheduler = scheduler;
    this.changed = changed;
  }

  /** Replaces the resources of {@code nodeId}; its streams get a push after the debounce. */
  public void set(String nodeId, Resources resources) {
    boolean[] updated = {false};
    snapshots.compute(nodeId, (id, current) -> {
      if (current != null && current.resources().equals(resources)) {
        return current;
      }
      updated[0] = true;
      return new Snapshot(resources, scheduler.nanoTime());
    });
    if (updated[0]) {
      changed.accept(nodeId);
    }
  }

  /**
   * Forgets {@code nodeId}. A stream still open for it is pushed an empty set (its resources are
   * removed, in removal order); a later stream of that node is resolved again.
   */
  public void remove(String nodeId) {
    if (snapshots.remove(nodeId) != null) {
      changed.accept(nodeId);
    }
  }

  /** The resources {@code nodeId} is to receive, if the cache has any. */
  public Optional<Resources> get(String nodeId) {
    return Optional.ofNullable(snapshots.get(nodeId)).map(Snapshot::resources);
  }

  Snapshot snapshot(String nodeId) {
    Snapshot snapshot = snapshots.get(nodeId);
    return snapshot != null ? snapshot : new Snapshot(Resources.EMPTY, scheduler.nanoTime());
  }

  /** True if {@code snapshot} is still the node's current one. */
  boolean isCurrent(String nodeId, Snapshot snapshot) {
    return snapshots.get(nodeId) == snapshot;
  }

  /**
   * The node's snapshot, asking the resolver first if the cache has none. The resolver runs
   * outside the map's lock, so it may take its time (and even call {@link #set} itself).
   */
  Snapshot resolve(Node node) {
    Snapshot known = snapshots.get(node.getId());
    if (known != null) {
      return known;
    }
    Resources resolved = resolver.resolve(node);
    return snapshots.computeIfAbsent(node.getId(), id -> new Snapshot(resolved, scheduler.nanoTime()));
  }
}
