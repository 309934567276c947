package dev.outrigger.proxy.http.filter.fault;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests a fault filter is delaying now, across event loops, shared by the filter and its
 * per-route variants as Envoy's {@code active_faults} gauge is. Like Envoy's, the limit is fuzzy:
 * checked, then counted, without compare-and-set.
 */
final class ActiveFaults {
  private final AtomicInteger active = new AtomicInteger();

  boolean atLimit(int max) {
    return active.get() >= max;
  }

  void started() {
    active.incrementAndGet();
  }

  void ended() {
    active.decrementAndGet();
  }
}
