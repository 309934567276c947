package dev.outrigger.proxy.http;

import java.time.Duration;
import java.util.Optional;

/** The {@code grpc-timeout} header: up to 8 digits and a unit (H, M, S, m, u, n). */
final class GrpcTimeout {
  private GrpcTimeout() {}

  static Optional<Duration> parse(String value) {
    if (value == null || value.length() < 2 || value.length() > 9) {
      return Optional.empty();
    }
    long amount;
    try {
      amount = Long.parseLong(value, 0, value.length() - 1, 10);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (amount < 0) {
      return Optional.empty();
    }
    switch (value.charAt(value.length() - 1)) {
      case 'H':
        return Optional.of(Duration.ofHours(amount));
      case 'M':
        return Optional.of(Duration.ofMinutes(amount));
      case 'S':
        return Optional.of(Duration.ofSeconds(amount));
      case 'm':
        return Optional.of(Duration.ofMillis(amount));
      case 'u':
        return Optional.of(Duration.ofNanos(amount * 1000));
      case 'n':
        return Optional.of(Duration.ofNanos(amount));
      default:
        return Optional.empty();
    }
  }

  /**
   * The route timeout a gRPC request gets from its {@code grpc-timeout}: capped at {@code max} (zero:
   * no cap), less {@code offset}; what is left at or below zero ends the call at once.
   */
  static Duration fromHeader(Duration header, Duration max, Optional<Duration> offset) {
    Duration timeout = !max.isZero() && header.compareTo(max) > 0 ? max : header;
    if (offset.isPresent()) {
      timeout = timeout.minus(offset.get());
    }
    return timeout.isNegative() || timeout.isZero() ? Duration.ofNanos(1) : timeout;
  }
}
