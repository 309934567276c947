package dev.outrigger.proxy.upstream;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
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
  private final CompletableFuture<Void> retired = new CompletableFuture<>();

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
   * Runs {@code action} once this endpoint has left its cluster (a DNS refresh dropped or replaced
   * it, or the cluster was closed): at once when it already has, else on the thread that retires it.
   * Whatever holds connections to it should let them end with their requests and then forget it.
   */
  public void whenRetired(Runnable action) {
    retired.thenRun(action);
  }

  void retire() {
    retired.complete(null);
  }

  /** {@code host:port} as Envoy prints {@code %UPSTREAM_HOST%}. */
  @Override
  public String toString() {
    return address.getAddress() == null
        ? address.getHostString() + ":" + address.getPort()
        : address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
