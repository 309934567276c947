package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.CircuitBreakerState;

/**
 * The connections a pool has open or is opening, counted against its cluster's {@code
 * max_connections} too. When none are left the pool holds nothing worth keeping, and its owner
 * drops it, so that pools whose connections the upstream or the idle timeout closed do not pile up.
 */
final class ConnectionCount {
  private final CircuitBreakerState breakers;
  private final Runnable onNone;
  private int count;

  ConnectionCount(CircuitBreakerState breakers, Runnable onNone) {
    this.breakers = breakers;
    this.onNone = onNone;
  }

  /** Whether the pool may open one more; its first connection is never refused. */
  boolean tryOpen() {
    if (!breakers.tryOpenConnection(count == 0)) {
      return false;
    }
    count++;
    return true;
  }

  /** A connection closed, or failed to open. */
  void closed() {
    breakers.connectionClosed();
    if (--count == 0) {
      onNone.run();
    }
  }
}
