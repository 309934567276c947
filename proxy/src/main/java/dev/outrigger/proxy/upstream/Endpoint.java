package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.LoadBalancerSettings;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One resolved upstream host. Identity is the address; the active-request count feeds
 * LEAST_REQUEST and is shared by every event loop, so it is atomic (one increment and one decrement
 * per request, no lock). Its priority and health decide which balancer of its cluster may pick it;
 * its latency estimate feeds PEAK_EWMA.
 */
public final class Endpoint {
  private final InetSocketAddress address;
  private final int weight;
  private final int priority;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final LatencyEstimate latency = new LatencyEstimate();
  private volatile boolean healthy = true;
  private volatile Runnable onHealthChange = () -> {};
  private volatile long latencyDecayNanos = LoadBalancerSettings.DEFAULTS.ewmaDecay().toNanos();
  private final Set<Runnable> onRetirement = ConcurrentHashMap.newKeySet();
  private volatile boolean retired;
  private volatile EndpointOutcomes outcomes = EndpointOutcomes.NONE;

  public Endpoint(InetSocketAddress address, int weight) {
    this(address, weight, 0);
  }

  public Endpoint(InetSocketAddress address, int weight, int priority) {
    this.address = address;
    this.weight = weight;
    this.priority = priority;
  }

  public InetSocketAddress address() {
    return address;
  }

  public int weight() {
    return weight;
  }

  public int priority() {
    return priority;
  }

  /**
   * False while the endpoint fails its active health checks or is ejected by outlier detection;
   * every endpoint starts healthy. The cluster's balancer picks among healthy endpoints, priorities
   * and the panic threshold permitting.
   */
  public boolean isHealthy() {
    return healthy;
  }

  /** Set by the cluster's health tracking; a change makes the cluster rebuild its balancer. */
  public void markHealthy(boolean healthy) {
    if (this.healthy != healthy) {
      this.healthy = healthy;
      onHealthChange.run();
    }
  }

  /**
   * Called by the one cluster that holds this endpoint: what to do when its health changes, and how
   * fast its latency estimate forgets; zero when no balancer reads the estimate, which is then not
   * kept.
   */
  void attach(Runnable onHealthChange, Duration latencyDecay) {
    this.onHealthChange = onHealthChange;
    this.latencyDecayNanos = latencyDecay.toNanos();
  }

  /**
   * Records the time from sending a request to receiving its response head, both read from the
   * clock the cluster's balancer reads (the system ticker in the proxy).
   */
  public void recordResponseTime(long startNanos, long headNanos) {
    long decay = latencyDecayNanos;
    if (decay > 0) {
      latency.record(headNanos - startNanos, headNanos, decay);
    }
  }

  LatencyEstimate latency() {
    return latency;
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

  /** The address as Envoy writes it ({@code [::1]:80} for IPv6), which its hash balancers hash. */
  String hashKey() {
    InetAddress ip = address.getAddress();
    return ip instanceof Inet6Address
        ? "[" + ip.getHostAddress() + "]:" + address.getPort()
        : toString();
  }

  /** {@code host:port} as Envoy prints {@code %UPSTREAM_HOST%}. */
  @Override
  public String toString() {
    return address.getAddress() == null
        ? address.getHostString() + ":" + address.getPort()
        : address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
