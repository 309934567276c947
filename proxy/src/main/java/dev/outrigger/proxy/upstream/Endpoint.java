package dev.outrigger.proxy.upstream;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One resolved upstream host. Identity is the address; the active-request count feeds
 * LEAST_REQUEST and is shared by every event loop, so it is atomic (one increment and one decrement
 * per request, no lock).
 */
public final class Endpoint {
  private final InetSocketAddress address;
  private final int weight;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final Set<Runnable> onRetirement = ConcurrentHashMap.newKeySet();
  private volatile boolean retired;
  private volatile boolean healthy = true;
  private volatile EndpointOutcomes outcomes = EndpointOutcomes.NONE;

  public Endpoint(InetSocketAddress address, int weight) {
    this.address = address;
    this.weight = weight;
  }

  public InetSocketAddress address() {
    return address;
  }

  public int weight() {
    return weight;
  }

  public int activeRequests() {
    return activeRequests.get();
  }

  /** Call once when a request is assigned to this endpoint, and {@link #requestEnded} once after. */
  public void requestStarted() {
    activeRequests.incrementAndGet();
  }

  public void requestEnded() {
    activeRequests.decrementAndGet();
  }

  /**
   * False while the endpoint fails its active health checks or is ejected by outlier detection;
   * the cluster then balances over the healthy endpoints only (over all when none is healthy).
   */
  public boolean isHealthy() {
    return healthy;
  }

  /** Set by the cluster's health tracking, which then has the cluster rebuild its balancer. */
  public void markHealthy(boolean healthy) {
    this.healthy = healthy;
  }

  /** Where request outcomes go: the endpoint's outlier detection, or nowhere. */
  public EndpointOutcomes outcomes() {
    return outcomes;
  }

  /** Set once by the cluster's outlier detection when the endpoint joins it. */
  public void reportOutcomesTo(EndpointOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  /**
   * Runs {@code action} once this endpoint has left its cluster (a DNS refresh dropped or replaced
   * it, or the cluster was closed): at once when it already has, else on the thread that retires it.
   * Whatever holds connections to it should let them end with their requests and then forget it.
   * {@code action} must not throw (the others would not run). Returns what withdraws it: a holder
   * that goes first must, or the actions of all the holders an endpoint outlives would pile up.
   */
  public Runnable whenRetired(Runnable action) {
    onRetirement.add(action);
    if (retired) {
      runOnce(action);
    }
    return () -> onRetirement.remove(action);
  }

  void retire() {
    retired = true;
    onRetirement.forEach(this::runOnce);
  }

  /** An action added while the endpoint retires is seen by both sides: the one that takes it runs it. */
  private void runOnce(Runnable action) {
    if (onRetirement.remove(action)) {
      action.run();
    }
  }

  /** {@code host:port} as Envoy prints {@code %UPSTREAM_HOST%}. */
  @Override
  public String toString() {
    return address.getAddress() == null
        ? address.getHostString() + ":" + address.getPort()
        : address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
