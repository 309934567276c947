package dev.outrigger.proxy.upstream;

import io.netty.util.concurrent.Ticker;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * PEAK_EWMA, Linkerd's default balancer: power of two choices where an endpoint's cost is its
 * latency estimate ({@link LatencyEstimate}) times {@code active requests + 1}, divided by its
 * weight. A slow endpoint loses nearly every comparison until its estimate has decayed, and a
 * loaded one until its queue drains, so it sees far less traffic than its share.
 */
final class PeakEwma implements LoadBalancer {
  /** Draws for a second candidate different from the first before settling for the same one. */
  private static final int DISTINCT_DRAWS = 4;

  private final WeightedDraw draw;
  private final Supplier<RandomGenerator> random;
  private final Ticker ticker;
  private final long decayNanos;
  private final long defaultRttNanos;
  private final boolean single;

  PeakEwma(
      List<Endpoint> endpoints,
      Supplier<RandomGenerator> random,
      Ticker ticker,
      long decayNanos,
      long defaultRttNanos) {
    this.draw = new WeightedDraw(endpoints);
    this.random = random;
    this.ticker = ticker;
    this.decayNanos = decayNanos;
    this.defaultRttNanos = defaultRttNanos;
    this.single = endpoints.size() == 1;
  }

  @Override
  public Endpoint pick(long hash) {
    RandomGenerator generator = random.get();
    Endpoint first = draw.draw(generator);
    if (single) {
      return first;
    }
    Endpoint second = draw.draw(generator);
    for (int i = 1; second == first && i < DISTINCT_DRAWS; i++) {
      second = draw.draw(generator);
    }
    long now = ticker.nanoTime();
    return cost(second, now) < cost(first, now) ? second : first;
  }

  private double cost(Endpoint endpoint, long now) {
    double rtt = endpoint.latency().nanos(now, decayNanos, defaultRttNanos);
    return rtt * (endpoint.activeRequests() + 1) / Math.max(1, endpoint.weight());
  }
}
