package dev.outrigger.proxy.upstream;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/** Draws an endpoint with probability proportional to its weight: cumulative weights, binary search. */
final class WeightedDraw {
  private final List<Endpoint> endpoints;
  private final long[] cumulative;

  WeightedDraw(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    this.cumulative = new long[endpoints.size()];
    long sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      sum += Math.max(1, endpoints.get(i).weight());
      cumulative[i] = sum;
    }
  }

  Endpoint draw(RandomGenerator random) {
    long ticket = random.nextLong(cumulative[cumulative.length - 1]);
    int index = Arrays.binarySearch(cumulative, ticket + 1);
    return endpoints.get(index >= 0 ? index : -index - 1);
  }
}
