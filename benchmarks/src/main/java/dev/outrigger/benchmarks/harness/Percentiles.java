package dev.outrigger.benchmarks.harness;

import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds, from a histogram of microseconds. */
record Percentiles(double p50, double p90, double p99, double p999, double max) {

  static Percentiles of(Histogram micros) {
    return new Percentiles(ms(micros, 50), ms(micros, 90), ms(micros, 99), ms(micros, 99.9),
        micros.getMaxValue() / 1000.0);
  }

  private static double ms(Histogram micros, double percentile) {
    return micros.getValueAtPercentile(percentile) / 1000.0;
  }
}
