package dev.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RING_HASH and MAGLEV: a hash keeps its endpoint, removal moves about the removed share, weights hold. */
class HashBalancerTest {
  private static final int KEYS = 20_000;

  enum Kind {
    RING_HASH(endpoints -> new RingHash(endpoints, 1024, 8 * 1024 * 1024)),
    MAGLEV(endpoints -> new Maglev(endpoints, 65537));

    final Function<List<Endpoint>, LoadBalancer> build;

    Kind(Function<List<Endpoint>, LoadBalancer> build) {
      this.build = build;
    }
  }

  private static List<Endpoint> endpoints(int count) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      endpoints.add(new Endpoint(new InetSocketAddress("10.0.0." + i, 8080), 1));
    }
    return endpoints;
  }

  private static long[] keys() {
    SplittableRandom random = new SplittableRandom(7);
    return IntStream.range(0, KEYS).mapToLong(i -> random.nextLong()).toArray();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theSameHashPicksTheSameEndpointInEveryBuild(Kind kind) {
    List<Endpoint> endpoints = endpoints(10);
    LoadBalancer first = kind.build.apply(endpoints);
    LoadBalancer rebuilt = kind.build.apply(List.copyOf(endpoints));
    for (long key : keys()) {
      assertThat(rebuilt.pick(key)).isSameAs(first.pick(key)).isSameAs(first.pick(key));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void removingAnEndpointMovesAboutItsShareOnly(Kind kind) {
    List<Endpoint> endpoints = endpoints(10);
    Endpoint removed = endpoints.get(3);
    LoadBalancer before = kind.build.apply(endpoints);
    List<Endpoint> remaining = new ArrayList<>(endpoints);
    remaining.remove(removed);
    LoadBalancer after = kind.build.apply(remaining);

    int wasOnRemoved = 0;
    int moved = 0;
    for (long key : keys()) {
      Endpoint was = before.pick(key);
      wasOnRemoved += was == removed ? 1 : 0;
      moved += after.pick(key) != was ? 1 : 0;
    }
    assertThat(wasOnRemoved / (double) KEYS).isCloseTo(0.1, within(0.04));
    // Besides the removed endpoint's keys, a few more move: both builds size each endpoint's share
    // by the endpoint count (as Envoy's do). A modulo rehash would move 90 %.
    assertThat(moved / (double) KEYS).isBetween(wasOnRemoved / (double) KEYS, 0.2);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void keysSpreadByWeight(Kind kind) {
    Endpoint light = new Endpoint(new InetSocketAddress("10.0.1.1", 80), 1);
    Endpoint heavy = new Endpoint(new InetSocketAddress("10.0.1.2", 80), 3);
    LoadBalancer balancer = kind.build.apply(List.of(light, heavy));
    Map<Endpoint, Integer> counts = new HashMap<>();
    for (long key : keys()) {
      counts.merge(balancer.pick(key), 1, Integer::sum);
    }
    assertThat(counts.get(heavy) / (double) KEYS).isCloseTo(0.75, within(0.05));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void manyEndpointsEachGetAShare(Kind kind) {
    List<Endpoint> endpoints = endpoints(200);
    LoadBalancer balancer = kind.build.apply(endpoints);
    Map<Endpoint, Integer> counts = new HashMap<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 200_000; i++) {
      counts.merge(balancer.pick(random.nextLong()), 1, Integer::sum);
    }
    assertThat(counts).hasSize(200);
    // 200 x 1,000 on average; a ring of 6 points per endpoint (the default minimum) is lumpy.
    assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(100, 4000));
  }

  @Test
  void theRingGrowsPastItsMinimumToGiveTheLightestEndpointAPointButNotPastItsMaximum() {
    Endpoint light = new Endpoint(new InetSocketAddress("10.0.1.1", 80), 1);
    Endpoint heavy = new Endpoint(new InetSocketAddress("10.0.1.2", 80), 300);
    assertThat(new RingHash(List.of(light, light), 100, 10_000).size()).isEqualTo(100);
    assertThat(new RingHash(List.of(light, heavy), 100, 10_000).size()).isEqualTo(301);
    assertThat(new RingHash(List.of(light, heavy), 100, 200).size()).isEqualTo(200);
  }
}
