package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Picks an endpoint from one fixed endpoint set. A balancer is immutable apart from lock-free
 * counters, and is rebuilt (then swapped in) whenever the set changes, so a pick never sees a set
 * half-updated and never takes a lock.
 */
interface LoadBalancer {

  /** The chosen endpoint, or null when the set is empty. */
  Endpoint pick();

  static LoadBalancer create(
      LbPolicy policy, List<Endpoint> endpoints, Supplier<RandomGenerator> random) {
    if (endpoints.isEmpty()) {
      return () -> null;
    }
    switch (policy) {
      case ROUND_ROBIN:
        return new WeightedRoundRobin(endpoints);
      case LEAST_REQUEST:
        return new LeastRequest(endpoints, random);
      case RANDOM:
        return new WeightedRandom(endpoints, random);
      default:
        throw new IllegalArgumentException("unsupported lb policy " + policy);
    }
  }
}
