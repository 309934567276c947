package dev.outrigger.benchmarks.harness;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * What one load run measured: requests answered 200 (and gRPC status 0) with their latencies in
 * microseconds, failures, and requests still unanswered when the grace period ran out.
 */
record LoadResult(Load load, Duration duration, long succeeded, long failed, long unfinished,
    Histogram latencyMicros) {

  double throughputPerSecond() {
    return succeeded / (duration.toNanos() / 1e9);
  }
}
