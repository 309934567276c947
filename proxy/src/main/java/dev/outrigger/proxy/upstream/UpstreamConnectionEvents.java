package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.upstream.health.HealthEvents;

/**
 * What happens to one cluster's upstream connections, for metrics. Bound once per cluster when
 * the config is applied; called on event loops, so implementations must not block.
 */
public interface UpstreamConnectionEvents {
  UpstreamConnectionEvents NONE = new UpstreamConnectionEvents() {};

  /** TCP connect, or the TLS handshake after it, failed (refused, timed out, untrusted peer). */
  default void connectFailed() {}

  /** A TLS handshake with an endpoint ended; a failed one also counts as {@link #connectFailed}. */
  default void tlsHandshake(boolean success) {}

  default void connectionOpened() {}

  default void connectionClosed() {}

  /** A circuit breaker refused a request, a pending request, a connection or a retry. */
  default void overflowed(Breaker breaker) {}

  /** What became of a failed attempt that the retry policy would retry. */
  default void retry(RetryOutcome outcome) {}
  /** Where this cluster's health checks, ejections and healthy-endpoint count are reported. */
  default HealthEvents health() {
    return HealthEvents.NONE;
  }
}
