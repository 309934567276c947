package dev.outrigger.proxy.upstream.health;

/**
 * How one active health check ended. Envoy's distinction matters: a wrong answer fails an endpoint
 * at once, silence only after {@code unhealthy_threshold} in a row.
 */
public enum ProbeResult {
  HEALTHY("healthy"),
  /** The endpoint answered, and the answer says unhealthy (status not expected, NOT_SERVING). */
  UNHEALTHY("unhealthy"),
  /** No usable answer: connect refused, TLS failed, connection closed or reset, garbled reply. */
  NETWORK_FAILURE("network_failure"),
  TIMEOUT("timeout");

  private final String label;

  ProbeResult(String label) {
    this.label = label;
  }

  /** The metric label value. */
  public String label() {
    return label;
  }
}
