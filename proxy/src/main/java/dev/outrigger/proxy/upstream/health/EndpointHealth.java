package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.upstream.Endpoint;

/**
 * One endpoint's two health signals, failing active checks and being ejected, combined into
 * {@link Endpoint#isHealthy()}. Confined to the cluster's health loop.
 */
final class EndpointHealth {
  private final Endpoint endpoint;
  private final Runnable onChange;
  private boolean failingChecks;
  private boolean ejected;

  /** @param failingChecks true when the endpoint is actively checked: Envoy starts such hosts unhealthy */
  EndpointHealth(Endpoint endpoint, boolean failingChecks, Runnable onChange) {
    this.endpoint = endpoint;
    this.failingChecks = failingChecks;
    this.onChange = onChange;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  boolean failingChecks() {
    return failingChecks;
  }

  boolean ejected() {
    return ejected;
  }

  void failingChecks(boolean failing) {
    failingChecks = failing;
    publish();
  }

  void ejected(boolean ejected) {
    this.ejected = ejected;
    publish();
  }

  private void publish() {
    boolean healthy = !failingChecks && !ejected;
    if (healthy != endpoint.isHealthy()) {
      endpoint.markHealthy(healthy);
      onChange.run();
    }
  }
}
