package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.CircuitBreakers;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a cluster has open, pending and active, against its circuit breakers. Every event loop
 * shares it, so each count is an atomic taken by compare-and-set (never past its limit, no lock).
 * Each successful {@code tryX} is paired with exactly one {@code xEnded}; a refusal is reported to
 * the cluster's events as an overflow.
 */
public final class CircuitBreakerState {
  private final CircuitBreakers limits;
  private final UpstreamConnectionEvents events;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();

  public CircuitBreakerState(CircuitBreakers limits, UpstreamConnectionEvents events) {
    this.limits = limits;
    this.events = events;
  }

  /** A new upstream request (one per downstream request, however many attempts it takes). */
  public boolean tryStartRequest() {
    return tryTake(requests, limits.maxRequests(), Breaker.MAX_REQUESTS);
  }

  public void requestEnded() {
    requests.decrementAndGet();
  }

  /** A request starts waiting in a pool for a connection or a stream. */
  public boolean tryStartPending() {
    return tryTake(pending, limits.maxPendingRequests(), Breaker.MAX_PENDING_REQUESTS);
  }

  public void pendingEnded() {
    pending.decrementAndGet();
  }

  /**
   * A pool wants to open a connection. {@code poolHasNone}: the asking pool has no connection at all,
   * and then it may open one beyond the limit (as Envoy does), or requests waiting in it could only
   * wait for connections other event loops hold.
   */
  public boolean tryOpenConnection(boolean poolHasNone) {
    if (poolHasNone) {
      connections.incrementAndGet();
      return true;
    }
    return tryTake(connections, limits.maxConnections(), Breaker.MAX_CONNECTIONS);
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  /**
   * A retry may start: within {@code max_retries}, or with a retry budget within {@code
   * budget_percent} of the requests in flight (pending ones included: a request holds its slot from
   * the start) but never below {@code min_retry_concurrency}.
   */
  public boolean tryStartRetry() {
    int limit =
        limits.retryBudget()
            .map(budget -> Math.max(budget.minRetryConcurrency(),
                (int) (budget.budgetPercent() / 100.0 * requests.get())))
            .orElse(limits.maxRetries());
    return tryTake(retries, limit, Breaker.MAX_RETRIES);
  }

  public void retryEnded() {
    retries.decrementAndGet();
  }

  /** How much of {@code breaker}'s resource is taken now. */
  public int inUse(Breaker breaker) {
    switch (breaker) {
      case MAX_CONNECTIONS:
        return connections.get();
      case MAX_PENDING_REQUESTS:
        return pending.get();
      case MAX_REQUESTS:
        return requests.get();
      default:
        return retries.get();
    }
  }

  private boolean tryTake(AtomicInteger count, int limit, Breaker breaker) {
    int current;
    do {
      current = count.get();
      if (current >= limit) {
        events.overflowed(breaker);
        return false;
      }
    } while (!count.compareAndSet(current, current + 1));
    return true;
  }
}
