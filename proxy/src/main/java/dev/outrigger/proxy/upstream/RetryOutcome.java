package dev.outrigger.proxy.upstream;

/** What became of a failed attempt that the route's retry policy would retry. */
public enum RetryOutcome {
  /** Another attempt was made. */
  RETRIED("retried"),
  /** None: {@code num_retries} were used up. */
  EXHAUSTED("exhausted"),
  /** None: the retry circuit breaker or budget refused it. */
  OVERFLOW("overflow"),
  /** None: the request body was larger than the retry buffer, so it could not be sent again. */
  BODY_TOO_LARGE("body_too_large");

  private final String label;

  RetryOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
