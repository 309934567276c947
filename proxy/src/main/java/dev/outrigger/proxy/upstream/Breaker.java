package dev.outrigger.proxy.upstream;

/** The circuit breakers of a cluster, by the names of their thresholds. */
public enum Breaker {
  MAX_CONNECTIONS("max_connections"),
  MAX_PENDING_REQUESTS("max_pending_requests"),
  MAX_REQUESTS("max_requests"),
  MAX_RETRIES("max_retries");

  private final String label;

  Breaker(String label) {
    this.label = label;
  }

  /** The threshold's Envoy name, as the metric label. */
  public String label() {
    return label;
  }
}
