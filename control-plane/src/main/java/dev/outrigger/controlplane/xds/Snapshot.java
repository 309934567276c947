package dev.outrigger.controlplane.xds;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One version of a node's resources in the cache, with the time it was set: convergence time is
 * measured from there to the moment a proxy has accepted all of it, once per snapshot.
 */
final class Snapshot {
  private final Resources resources;
  private final long setAtNanos;
  private final AtomicBoolean convergenceRecorded = new AtomicBoolean();

  Snapshot(Resources resources, long setAtNanos) {
    this.resources = resources;
    this.setAtNanos = setAtNanos;
  }

  Resources resources() {
    return resources;
  }

  long setAtNanos() {
    return setAtNanos;
  }

  /** True for the first caller only. */
  boolean claimConvergence() {
    return convergenceRecorded.compareAndSet(false, true);
  }
}
