package dev.outrigger.proxy.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A route's or virtual host's {@code retry_policy}.
 *
 * @param numRetries retries after the first attempt (Envoy default 1)
 * @param perTryTimeout each attempt's own timeout; empty: only the route timeout bounds it
 * @param baseInterval first backoff ceiling (default 25 ms); later ones grow exponentially
 * @param maxInterval the largest backoff (default 10 times {@code baseInterval})
 * @param retriableStatusCodes used by {@link RetryOn#RETRIABLE_STATUS_CODES}
 * @param avoidPreviousHosts {@code envoy.retry_host_predicates.previous_hosts}
 * @param hostSelectionMaxAttempts extra picks to find a host not tried yet (Envoy default 1)
 */
public record RetryPolicy(
    Set<RetryOn> retryOn,
    int numRetries,
    Optional<Duration> perTryTimeout,
    Duration baseInterval,
    Duration maxInterval,
    Set<Integer> retriableStatusCodes,
    boolean avoidPreviousHosts,
    int hostSelectionMaxAttempts) {

  public static final int DEFAULT_NUM_RETRIES = 1;
  public static final Duration DEFAULT_BASE_INTERVAL = Duration.ofMillis(25);
  public static final int DEFAULT_HOST_SELECTION_MAX_ATTEMPTS = 1;

  public RetryPolicy {
    retryOn = Set.copyOf(retryOn);
    retriableStatusCodes = Set.copyOf(retriableStatusCodes);
  }

  /** The conditions of {@code retry_on} (and {@code x-envoy-retry-on}), by their Envoy names. */
  public enum RetryOn {
    FIVE_XX("5xx"),
    GATEWAY_ERROR("gateway-error"),
    RESET("reset"),
    CONNECT_FAILURE("connect-failure"),
    RETRIABLE_4XX("retriable-4xx"),
    REFUSED_STREAM("refused-stream"),
    RETRIABLE_STATUS_CODES("retriable-status-codes"),
    CANCELLED("cancelled"),
    DEADLINE_EXCEEDED("deadline-exceeded"),
    INTERNAL("internal"),
    RESOURCE_EXHAUSTED("resource-exhausted"),
    UNAVAILABLE("unavailable");

    private final String envoyName;

    RetryOn(String envoyName) {
      this.envoyName = envoyName;
    }

    public String envoyName() {
      return envoyName;
    }

    /** The condition Envoy calls {@code name}, if it is one of these. */
    public static Optional<RetryOn> named(String name) {
      for (RetryOn on : values()) {
        if (on.envoyName.equals(name)) {
          return Optional.of(on);
        }
      }
      return Optional.empty();
    }
  }
}
