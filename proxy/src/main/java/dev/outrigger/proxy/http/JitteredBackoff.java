package dev.outrigger.proxy.http;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Envoy's fully jittered exponential backoff: the n-th wait is drawn uniformly from [0, (2^n − 1) ×
 * base), and never longer than the max interval. The ceiling stops growing once it passes the max.
 */
public final class JitteredBackoff {
  private final long baseMillis;
  private final long maxMillis;
  /** Given a bound, a uniformly drawn number in [0, bound). */
  private final LongUnaryOperator draw;
  private int step = 1;

  public JitteredBackoff(Duration base, Duration max, LongUnaryOperator draw) {
    this.baseMillis = Math.max(1, base.toMillis());
    this.maxMillis = Math.max(baseMillis, max.toMillis());
    this.draw = draw;
  }

  public Duration next() {
    long ceiling = ((1L << step) - 1) * baseMillis;
    if (ceiling <= maxMillis) {
      step++;
    }
    return Duration.ofMillis(Math.min(draw.applyAsLong(ceiling), maxMillis));
  }
}
