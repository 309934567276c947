package dev.outrigger.controlplane.ca;

import java.time.Duration;

/**
 * How long leaves live: the default when the caller asks for nothing, and a ceiling on what it
 * may ask for. The default is 24 h (X.509-SVIDs are meant to be short-lived and renewed at half).
 */
public record TtlPolicy(Duration defaultTtl, Duration maxTtl) {
  public static final TtlPolicy DEFAULT = new TtlPolicy(Duration.ofHours(24), Duration.ofDays(7));

  public TtlPolicy {
    if (defaultTtl.isNegative() || defaultTtl.isZero()) {
      throw new IllegalArgumentException("default TTL must be positive, got " + defaultTtl);
    }
    if (defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException(
          "default TTL " + defaultTtl + " is longer than the maximum " + maxTtl);
    }
  }

  /** The lifetime to issue for a request: the default for zero/absent, capped at the maximum. */
  Duration lifetime(Duration requested) {
    if (requested == null || requested.isZero() || requested.isNegative()) {
      return defaultTtl;
    }
    return requested.compareTo(maxTtl) > 0 ? maxTtl : requested;
  }
}
