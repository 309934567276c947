package dev.outrigger.proxy.upstream;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * LEAST_REQUEST: power of two choices ({@code choice_count}, default 2). The candidates are drawn
 * (by weight) and the one with the lowest load wins, load being {@code (active requests + 1) / weight}. With equal weights this is
 * Envoy's P2C exactly; with unequal weights Envoy runs an EDF schedule over {@code weight / (active
 * + 1)}, and scoring the two candidates by that same ratio keeps its preference without a shared
 * mutable schedule (no lock on the pick).
 */
final class LeastRequest implements LoadBalancer {
  private final WeightedDraw draw;
  private final Supplier<RandomGenerator> random;
  private final int choices;

  LeastRequest(List<Endpoint> endpoints, Supplier<RandomGenerator> random, int choices) {
    this.draw = new WeightedDraw(endpoints);
    this.random = random;
    this.choices = choices;
  }

  @Override
  public Endpoint pick(long hash) {
    RandomGenerator generator = random.get();
    Endpoint best = draw.draw(generator);
    for (int i = 1; i < choices; i++) {
      best = lessLoaded(best, draw.draw(generator));
    }
    return best;
  }

  private static Endpoint lessLoaded(Endpoint a, Endpoint b) {
    long loadA = (a.activeRequests() + 1L) * Math.max(1, b.weight());
    long loadB = (b.activeRequests() + 1L) * Math.max(1, a.weight());
    return loadB < loadA ? b : a;
  }
}
