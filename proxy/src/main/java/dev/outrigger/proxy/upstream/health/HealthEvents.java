package dev.outrigger.proxy.upstream.health;

/**
 * What the health of one cluster's endpoints does, for metrics. Bound once per cluster; called on
 * the cluster's health loop.
 */
public interface HealthEvents {
  HealthEvents NONE = new HealthEvents() {};

  default void checked(ProbeResult result) {}

  default void ejected(EjectionReason reason) {}

  /** The number of healthy endpoints changed to {@code count}. */
  default void healthyEndpoints(int count) {}
}
