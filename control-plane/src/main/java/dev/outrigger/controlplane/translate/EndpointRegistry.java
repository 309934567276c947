package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.xds.Scheduler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxies with an xDS stream, and so the endpoints of their services (standalone mode): a
 * sidecar becomes an endpoint when its first stream opens and stops being one {@code grace} after
 * its last stream ended, unless it reconnected meanwhile. Time comes from the {@link Scheduler}.
 */
public final class EndpointRegistry {
  /** Told of changes, outside the registry's lock. */
  public interface Changes {
    /** A proxy came or went, or changed its workload: the endpoints may differ. */
    void proxiesChanged();

    /** {@code nodeId} is gone for good (its grace ended); its resources are no longer wanted. */
    void proxyGone(String nodeId);
  }

  private static final class Entry {
    Workload workload;
    int streams;
    long generation;

    Entry(Workload workload) {
      this.workload = workload;
    }
  }

  private final Scheduler scheduler;
  private final Duration grace;
  private final Changes changes;
  private final Map<String, Entry> byNode = new LinkedHashMap<>();

  public EndpointRegistry(Scheduler scheduler, Duration grace, Changes changes) {
    this.scheduler = scheduler;
    this.grace = grace;
    this.changes = changes;
  }

  /** A stream of {@code workload}'s node opened. */
  public void connected(Workload workload) {
    boolean changed;
    synchronized (this) {
      Entry entry = byNode.get(workload.nodeId());
      if (entry == null) {
        entry = new Entry(workload);
        byNode.put(workload.nodeId(), entry);
        changed = true;
      } else {
        changed = !entry.workload.equals(workload);
        entry.workload = workload;
      }
      entry.streams++;
      entry.generation++;
    }
    if (changed) {
      changes.proxiesChanged();
    }
  }

  /**
   * A proxy registered before the control plane restarted: an endpoint for {@code wait}, as if
   * its stream had just ended, unless it connects meanwhile.
   */
  public void restored(Workload workload, Duration wait) {
    long generation;
    synchronized (this) {
      if (byNode.containsKey(workload.nodeId())) {
        return;
      }
      Entry entry = new Entry(workload);
      byNode.put(workload.nodeId(), entry);
      generation = ++entry.generation;
    }
    scheduler.schedule(wait, () -> expire(workload.nodeId(), generation));
  }

  /** A stream of {@code nodeId} ended; with its last one, the grace period starts. */
  public void disconnected(String nodeId) {
    long generation;
    synchronized (this) {
      Entry entry = byNode.get(nodeId);
      if (entry == null || --entry.streams > 0) {
        return;
      }
      generation = ++entry.generation;
    }
    scheduler.schedule(grace, () -> expire(nodeId, generation));
  }

  private void expire(String nodeId, long generation) {
    synchronized (this) {
      Entry entry = byNode.get(nodeId);
      if (entry == null || entry.generation != generation) {
        return; // reconnected since
      }
      byNode.remove(nodeId);
    }
    changes.proxiesChanged();
    changes.proxyGone(nodeId);
  }

  /** Every proxy with a stream or within its grace, in the order they first connected. */
  public synchronized List<Workload> proxies() {
    return byNode.values().stream().map(entry -> entry.workload).toList();
  }

  public Endpoints endpoints() {
    return Endpoints.of(proxies());
  }
}
