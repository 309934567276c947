package dev.outrigger.proxy.http.filter;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Envoy's {@code FractionalPercent}: {@code numerator} out of {@code denominator} (100, 10,000 or
 * 1,000,000). A numerator above the denominator means all, as in Envoy.
 */
public record Percentage(long numerator, long denominator) {
  public static final Percentage NONE = new Percentage(0, 100);
  public static final Percentage ALL = new Percentage(100, 100);

  /** Draws once: true for about {@code numerator / denominator} of the calls. */
  public boolean sample() {
    return numerator >= denominator || (numerator > 0 && ThreadLocalRandom.current().nextLong(denominator) < numerator);
  }

  /** At most {@code numerator} out of the same denominator, as a request header may ask for. */
  public Percentage capped(long numerator) {
    return numerator >= this.numerator ? this : new Percentage(Math.max(0, numerator), denominator);
  }
}
