package dev.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.LoadBalancerSettings;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BalancerTest {

  private static Endpoint endpoint(int lastOctet, int weight) {
    return new Endpoint(new InetSocketAddress("10.0.0." + lastOctet, 80), weight);
  }

  private static LoadBalancer balancer(LbPolicy policy, List<Endpoint> endpoints, Supplier<RandomGenerator> random) {
    return LoadBalancer.create(policy, LoadBalancerSettings.DEFAULTS, endpoints, random, Ticker.systemTicker());
  }

  private static String picks(LoadBalancer balancer, int count) {
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < count; i++) {
      order.append(balancer.pick(0).address().getAddress().getHostAddress().substring(7)).append(' ');
    }
    return order.toString().trim();
  }

  private static Map<Endpoint, Integer> histogram(LoadBalancer balancer, int count) {
    Map<Endpoint, Integer> counts = new HashMap<>();
    IntStream.range(0, count).forEach(i -> counts.merge(balancer.pick(0), 1, Integer::sum));
    return counts;
  }

  @Test
  void weightedRoundRobinFollowsTheSmoothSchedule() {
    LoadBalancer balancer =
        balancer(LbPolicy.ROUND_ROBIN, List.of(endpoint(1, 5), endpoint(2, 1), endpoint(3, 1)), Random::new);

    assertThat(picks(balancer, 14)).isEqualTo("1 1 2 1 3 1 1 1 1 2 1 3 1 1");
  }

  @Test
  void weightedRoundRobinReducesWeightsByTheirCommonDivisor() {
    LoadBalancer balancer =
        balancer(LbPolicy.ROUND_ROBIN, List.of(endpoint(1, 100), endpoint(2, 200)), Random::new);

    assertThat(picks(balancer, 6)).isEqualTo("2 1 2 2 1 2");
  }

  @Test
  void hugeWeightsAreScaledToABoundedScheduleThatStillVisitsEveryHost() {
    Endpoint rare = endpoint(1, 1);
    Endpoint common = endpoint(2, 1_000_000);
    LoadBalancer balancer = balancer(LbPolicy.ROUND_ROBIN, List.of(rare, common), Random::new);

    Map<Endpoint, Integer> counts = histogram(balancer, WeightedRoundRobin.MAX_SCHEDULE_LENGTH + 1);

    assertThat(counts.get(rare)).isEqualTo(1);
    assertThat(counts.get(common)).isEqualTo(WeightedRoundRobin.MAX_SCHEDULE_LENGTH);
  }

  @Test
  void everyThreadWalksTheWholeScheduleWithItsOwnCursor() throws Exception {
    LoadBalancer balancer =
        balancer(LbPolicy.ROUND_ROBIN, List.of(endpoint(1, 5), endpoint(2, 1), endpoint(3, 1)), Random::new);
    ExecutorService otherLoop = Executors.newSingleThreadExecutor();
    try {
      String here = picks(balancer, 3);
      String there = otherLoop.submit(() -> picks(balancer, 5)).get(10, TimeUnit.SECONDS);
      here += " " + picks(balancer, 4);
      there += " " + otherLoop.submit(() -> picks(balancer, 2)).get(10, TimeUnit.SECONDS);

      assertThat(here).isEqualTo("1 1 2 1 3 1 1");
      assertThat(there).isEqualTo("1 1 2 1 3 1 1");
    } finally {
      otherLoop.shutdownNow();
    }
  }

  @Test
  void equalWeightRoundRobinIsPlainRotation() {
    LoadBalancer balancer =
        balancer(LbPolicy.ROUND_ROBIN, List.of(endpoint(1, 1), endpoint(2, 1), endpoint(3, 1)), Random::new);

    assertThat(picks(balancer, 6)).isEqualTo("1 2 3 1 2 3");
  }

  @Test
  void leastRequestPrefersTheLessLoadedOfTwoChoices() {
    Endpoint busy = endpoint(1, 1);
    Endpoint idleA = endpoint(2, 1);
    Endpoint idleB = endpoint(3, 1);
    IntStream.range(0, 10).forEach(i -> busy.requestStarted());
    Random seeded = new Random(7);
    LoadBalancer balancer = balancer(LbPolicy.LEAST_REQUEST, List.of(busy, idleA, idleB), () -> seeded);

    Map<Endpoint, Integer> counts = histogram(balancer, 9000);

    // The busy host is picked only when both draws land on it: 1/9 of the time.
    assertThat(counts.get(busy) / 9000.0).isCloseTo(1 / 9.0, within(0.02));
    assertThat(counts.get(idleA) / 9000.0).isCloseTo(4 / 9.0, within(0.03));
  }

  @Test
  void leastRequestWithMoreChoicesAvoidsTheBusyHostMoreOften() {
    Endpoint busy = endpoint(1, 1);
    Endpoint idle = endpoint(2, 1);
    IntStream.range(0, 10).forEach(i -> busy.requestStarted());
    Random seeded = new Random(13);
    LoadBalancer balancer = new LeastRequest(List.of(busy, idle), () -> seeded, 4);

    Map<Endpoint, Integer> counts = histogram(balancer, 8000);

    // The busy host only when all four draws land on it: 1/16 of the time (1/4 with two choices).
    assertThat(counts.get(busy) / 8000.0).isCloseTo(1 / 16.0, within(0.02));
  }

  @Test
  void leastRequestHonoursWeightsAtEqualLoad() {
    Endpoint heavy = endpoint(1, 3);
    Endpoint light = endpoint(2, 1);
    Random seeded = new Random(11);
    LoadBalancer balancer = balancer(LbPolicy.LEAST_REQUEST, List.of(heavy, light), () -> seeded);

    Map<Endpoint, Integer> counts = histogram(balancer, 8000);

    // Drawn by weight (3/4, 1/4) and the heavier one wins any tie on load: light only when drawn twice.
    assertThat(counts.get(light) / 8000.0).isCloseTo(1 / 16.0, within(0.015));
  }

  @Test
  void randomIsProportionalToWeight() {
    Random seeded = new Random(42);
    Endpoint a = endpoint(1, 1);
    Endpoint b = endpoint(2, 2);
    Endpoint c = endpoint(3, 7);
    LoadBalancer balancer = balancer(LbPolicy.RANDOM, List.of(a, b, c), () -> seeded);

    Map<Endpoint, Integer> counts = histogram(balancer, 100_000);

    assertThat(counts.get(a) / 100_000.0).isCloseTo(0.1, within(0.01));
    assertThat(counts.get(b) / 100_000.0).isCloseTo(0.2, within(0.01));
    assertThat(counts.get(c) / 100_000.0).isCloseTo(0.7, within(0.01));
  }

  @Test
  void anEmptySetPicksNothing() {
    for (LbPolicy policy : LbPolicy.values()) {
      assertThat(balancer(policy, List.of(), Random::new).pick(0)).isNull();
    }
  }
}
