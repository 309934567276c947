package dev.outrigger.proxy.upstream;

import java.net.InetSocketAddress;
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

  /** {@code host:port} as Envoy prints {@code %UPSTREAM_HOST%}. */
  @Override
  public String toString() {
    return address.getAddress() == null
        ? address.getHostString() + ":" + address.getPort()
        : address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
