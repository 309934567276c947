package dev.outrigger.proxy.upstream;

/**
 * An endpoint's peak-EWMA round-trip estimate (Finagle's and Linkerd's): a response slower than the
 * estimate replaces it at once (the peak), a faster one pulls it down with a weight that grows with
 * the time since the last sample, and between samples the estimate decays towards zero, so that an
 * endpoint that went quiet after being slow is tried again.
 *
 * <p>Written by every event loop that gets a response from the endpoint, without a lock: the two
 * fields are volatile and two concurrent samples may lose one of them, which an estimate tolerates.
 */
final class LatencyEstimate {
  private static final long NEVER = Long.MIN_VALUE;

  private volatile double rttNanos;
  private volatile long sampledAtNanos = NEVER;

  /** Records one round trip of {@code rttNanos} that ended at {@code nowNanos}. */
  void record(long rttNanos, long nowNanos, long decayNanos) {
    long last = sampledAtNanos;
    double current = rttNanos;
    if (last != NEVER) {
      double previous = this.rttNanos;
      if (previous >= rttNanos) {
        double weight = Math.exp(-Math.max(0, nowNanos - last) / (double) decayNanos);
        current = previous * weight + rttNanos * (1 - weight);
      }
    }
    this.rttNanos = current;
    this.sampledAtNanos = nowNanos;
  }

  /**
   * The estimate at {@code nowNanos}, decayed since the last sample. An endpoint never sampled
   * starts at {@code defaultRttNanos} from now on, as if that had been its first sample.
   */
  double nanos(long nowNanos, long decayNanos, long defaultRttNanos) {
    long last = sampledAtNanos;
    if (last == NEVER) {
      rttNanos = defaultRttNanos;
      sampledAtNanos = nowNanos;
      return defaultRttNanos;
    }
    return rttNanos * Math.exp(-Math.max(0, nowNanos - last) / (double) decayNanos);
  }
}
