package dev.outrigger.proxy.bootstrap;

import dev.outrigger.proxy.http.filter.Percentage;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

/** {@code type.v3.FractionalPercent} as a {@link Percentage}. */
final class Percentages {
  private Percentages() {}

  /** @param percent null when unset: none, which is Envoy's default where this file uses it */
  static Percentage of(FractionalPercent percent) {
    if (percent == null) {
      return Percentage.NONE;
    }
    long denominator;
    switch (percent.getDenominator()) {
      case TEN_THOUSAND:
        denominator = 10_000;
        break;
      case MILLION:
        denominator = 1_000_000;
        break;
      default:
        denominator = 100;
    }
    return new Percentage(Integer.toUnsignedLong(percent.getNumerator()), denominator);
  }
}
