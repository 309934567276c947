package dev.outrigger.proxy.config;

import java.time.Duration;

/**
 * The tuning of a cluster's balancer; each policy reads only its own part.
 *
 * @param choiceCount LEAST_REQUEST candidates per pick (Envoy default 2)
 * @param minimumRingSize RING_HASH (Envoy defaults 1024 and 8M entries)
 * @param maglevTableSize MAGLEV, a prime (Envoy default 65537)
 * @param ewmaDecay PEAK_EWMA: how fast a latency estimate forgets (Linkerd default 10 s)
 * @param ewmaDefaultRtt PEAK_EWMA: the estimate of an endpoint with no response yet (Linkerd
 *     default 30 ms)
 * @param healthyPanicThreshold percent of healthy endpoints in a priority below which it balances
 *     over all of them (Envoy default 50; 0 disables panic)
 */
public record LoadBalancerSettings(
    int choiceCount,
    long minimumRingSize,
    long maximumRingSize,
    int maglevTableSize,
    Duration ewmaDecay,
    Duration ewmaDefaultRtt,
    double healthyPanicThreshold) {

  public static final LoadBalancerSettings DEFAULTS =
      new LoadBalancerSettings(2, 1024, 8 * 1024 * 1024, 65537, Duration.ofSeconds(10), Duration.ofMillis(30), 50);
}
