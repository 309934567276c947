package dev.outrigger.proxy.upstream;

import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.LoadBalancerSettings;
import io.netty.util.concurrent.Ticker;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Picks an endpoint from one fixed endpoint set. A balancer is immutable apart from lock-free
 * counters, and is rebuilt (then swapped in) whenever the set or an endpoint's health changes, so a
 * pick never sees a set half-updated and never takes a lock.
 */
interface LoadBalancer {

  /**
   * The chosen endpoint, or null when the set is empty.
   *
   * @param hash the request's hash (route {@code hash_policy}), or a random number when it has
   *     none; only RING_HASH and MAGLEV read it
   */
  Endpoint pick(long hash);

  /** The balancer of {@code policy} over the endpoints each priority balances over (see {@link Priorities}). */
  static LoadBalancer create(
      LbPolicy policy,
      LoadBalancerSettings settings,
      List<Endpoint> endpoints,
      Supplier<RandomGenerator> random,
      Ticker ticker) {
    boolean byHash = policy == LbPolicy.RING_HASH || policy == LbPolicy.MAGLEV;
    return Priorities.over(
        endpoints,
        settings.healthyPanicThreshold(),
        byHash,
        () -> random.get().nextInt(100),
        level -> forLevel(policy, settings, level, random, ticker));
  }

  private static LoadBalancer forLevel(
      LbPolicy policy,
      LoadBalancerSettings settings,
      List<Endpoint> endpoints,
      Supplier<RandomGenerator> random,
      Ticker ticker) {
    if (endpoints.isEmpty()) {
      return hash -> null;
    }
    switch (policy) {
      case ROUND_ROBIN:
        return new WeightedRoundRobin(endpoints);
      case LEAST_REQUEST:
        return new LeastRequest(endpoints, random, settings.choiceCount());
      case RANDOM:
        return new WeightedRandom(endpoints, random);
      case RING_HASH:
        return new RingHash(endpoints, settings.minimumRingSize(), settings.maximumRingSize());
      case MAGLEV:
        return new Maglev(endpoints, settings.maglevTableSize());
      case PEAK_EWMA:
        return new PeakEwma(
            endpoints, random, ticker, settings.ewmaDecay().toNanos(), settings.ewmaDefaultRtt().toNanos());
      default:
        throw new IllegalArgumentException("unsupported lb policy " + policy);
    }
  }
}
