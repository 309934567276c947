package dev.outrigger.controlplane.xds;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Collects the nodes whose resources changed and hands them on as one batch once no change came
 * for {@code quiet}, or {@code max} after the first change of the batch if changes keep coming.
 * One timer at a time: a firing timer that is early re-arms itself for the due time.
 */
final class PushDebouncer {
  private final Scheduler scheduler;
  private final long quietNanos;
  private final long maxNanos;
  private final Consumer<Set<String>> flush;

  private Set<String> pending = new LinkedHashSet<>();
  private long firstChange;
  private long lastChange;
  private boolean armed;

  PushDebouncer(Scheduler scheduler, Duration quiet, Duration max, Consumer<Set<String>> flush) {
    if (quiet.isNegative() || max.compareTo(quiet) < 0) {
      throw new IllegalArgumentException("debounce: need 0 <= quiet <= max, got " + quiet + " and " + max);
    }
    this.scheduler = scheduler;
    this.quietNanos = quiet.toNanos();
    this.maxNanos = max.toNanos();
    this.flush = flush;
  }

  synchronized void changed(String nodeId) {
    long now = scheduler.nanoTime();
    if (pending.isEmpty()) {
      firstChange = now;
    }
    lastChange = now;
    pending.add(nodeId);
    if (!armed) {
      armed = true;
      scheduler.schedule(Duration.ofNanos(quietNanos), this::fire);
    }
  }

  private void fire() {
    Set<String> batch;
    synchronized (this) {
      long now = scheduler.nanoTime();
      long due = Math.min(lastChange + quietNanos, firstChange + maxNanos);
      if (now - due < 0) {
        scheduler.schedule(Duration.ofNanos(due - now), this::fire);
        return;
      }
      armed = false;
      batch = pending;
      pending = new LinkedHashSet<>();
    }
    flush.accept(batch);
  }
}
