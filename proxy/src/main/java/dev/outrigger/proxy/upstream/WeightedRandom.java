package dev.outrigger.proxy.upstream;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** RANDOM: each pick independent, proportional to weight. */
final class WeightedRandom implements LoadBalancer {
  private final WeightedDraw draw;
  private final Supplier<RandomGenerator> random;

  WeightedRandom(List<Endpoint> endpoints, Supplier<RandomGenerator> random) {
    this.draw = new WeightedDraw(endpoints);
    this.random = random;
  }

  @Override
  public Endpoint pick(long hash) {
    return draw.draw(random.get());
  }
}
