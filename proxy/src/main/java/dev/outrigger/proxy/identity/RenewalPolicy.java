package dev.outrigger.proxy.identity;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When to ask for the next certificate. After an issuance: at half the certificate's lifetime plus
 * up to a tenth of it, so sidecars started together spread their renewals and a failed renewal
 * still has at least 40% of the lifetime left for retries. After a failure: exponential backoff from
 * one second, capped at two minutes, half of each delay random so a CA outage ends without every
 * sidecar retrying in the same instant.
 */
final class RenewalPolicy {
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofMinutes(2);
  private static final double MAX_JITTER_OF_LIFETIME = 0.1;

  private final DoubleSupplier random;

  /** {@code random} yields values in [0, 1). */
  RenewalPolicy(DoubleSupplier random) {
    this.random = random;
  }

  Duration afterIssue(X509Certificate leaf, Instant now) {
    // The lifetime counts from receipt: CAs backdate notBefore for clock skew (ours by five minutes),
    // which would otherwise eat a short-lived certificate's first half before it arrived.
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant start = notBefore.isAfter(now) ? notBefore : now;
    Duration lifetime = Duration.between(start, leaf.getNotAfter().toInstant());
    Duration jitter = scale(lifetime, MAX_JITTER_OF_LIFETIME * random.getAsDouble());
    Instant renewAt = start.plus(lifetime.dividedBy(2)).plus(jitter);
    Duration delay = Duration.between(now, renewAt);
    return delay.isNegative() ? Duration.ZERO : delay;
  }

  /** {@code failures} counts the failed attempts in a row, at least one. */
  Duration afterFailure(int failures) {
    Duration ceiling = MAX_RETRY;
    if (failures < 32) {
      Duration doubled = FIRST_RETRY.multipliedBy(1L << (failures - 1));
      ceiling = doubled.compareTo(MAX_RETRY) < 0 ? doubled : MAX_RETRY;
    }
    Duration half = ceiling.dividedBy(2);
    return half.plus(scale(half, random.getAsDouble()));
  }

  private static Duration scale(Duration duration, double factor) {
    return Duration.ofNanos((long) (duration.toNanos() * factor));
  }
}
