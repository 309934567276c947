package dev.outrigger.proxy.upstream;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * LEAST_REQUEST: power of two choices. Two candidates are drawn (by weight) and the one with the
 * lower load wins, load being {@code (active requests + 1) / weight}. With equal weights this is
 * Envoy's P2C exactly; with unequal weights Envoy runs an EDF schedule over {@code weight / (active
 * + 1)}, and scoring the two candidates by that same ratio keeps its preference without a shared
 * mutable schedule (no lock on the pick).
 */
final class LeastRequest implements LoadBalancer {
  private final WeightedDraw draw;
  private final Supplier<RandomGenerator> random;

  LeastRequest(List<Endpoint> endpoints, Supplier<RandomGenerator> random) {
    this.draw = new WeightedDraw(endpoints);
    this.random = random;
  }

  @Override
  public Endpoint pick() {
    RandomGenerator generator = random.get();
    Endpoint first = draw.draw(generator);
    Endpoint second = draw.draw(generator);
    return lessLoaded(first, second);
  }

  private static Endpoint lessLoaded(Endpoint a, Endpoint b) {
    long loadA = (a.activeRequests() + 1L) * Math.max(1, b.weight());
    long loadB = (b.activeRequests() + 1L) * Math.max(1, a.weight());
    return loadB < loadA ? b : a;
  }
}
