package dev.outrigger.proxy.config;

import java.util.Optional;

/**
 * A cluster's {@code circuit_breakers.thresholds} for the DEFAULT priority: limits shared by every
 * event loop. Envoy's default for each limit is 1024.
 *
 * @param retryBudget when present it replaces {@code maxRetries}, as in Envoy
 */
public record CircuitBreakers(
    int maxConnections,
    int maxPendingRequests,
    int maxRequests,
    int maxRetries,
    Optional<RetryBudget> retryBudget) {

  public static final int DEFAULT_LIMIT = 1024;
  public static final CircuitBreakers DEFAULTS =
      new CircuitBreakers(DEFAULT_LIMIT, DEFAULT_LIMIT, DEFAULT_LIMIT, DEFAULT_LIMIT, Optional.empty());

  /**
   * Active retries may be at most {@code budgetPercent} of the active and pending requests, and
   * always at least {@code minRetryConcurrency}.
   */
  public record RetryBudget(double budgetPercent, int minRetryConcurrency) {
    public static final double DEFAULT_BUDGET_PERCENT = 20.0;
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;
  }
}
