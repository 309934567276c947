package dev.outrigger.proxy.http;

import dev.outrigger.proxy.upstream.CircuitBreakerState;
import java.util.ArrayDeque;

/**
 * The requests waiting in one pool, in arrival order, each holding a slot of its cluster's {@code
 * max_pending_requests} from the moment it starts waiting until it leaves (served, failed or
 * cancelled).
 */
final class PendingRequests {
  private final CircuitBreakerState breakers;
  private final ArrayDeque<UpstreamListener> waiting = new ArrayDeque<>();

  PendingRequests(CircuitBreakerState breakers) {
    this.breakers = breakers;
  }

  /** Queues {@code listener}, or tells it that the pending limit refused it. */
  void add(UpstreamListener listener) {
    if (breakers.tryStartPending()) {
      waiting.addLast(listener);
    } else {
      listener.onPendingOverflow();
    }
  }

  /** The longest waiting, or null. */
  UpstreamListener next() {
    UpstreamListener next = waiting.pollFirst();
    if (next != null) {
      breakers.pendingEnded();
    }
    return next;
  }

  void cancel(UpstreamListener listener) {
    if (waiting.remove(listener)) {
      breakers.pendingEnded();
    }
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Every waiting request learns that the connection it waited for failed. */
  void failAll(Throwable cause) {
    UpstreamListener next;
    while ((next = next()) != null) {
      next.onUpstreamConnectFailed(cause);
    }
  }
}
