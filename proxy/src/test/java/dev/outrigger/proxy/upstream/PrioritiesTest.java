package dev.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.ClusterConfig.LbPolicy;
import dev.outrigger.proxy.config.LoadBalancerSettings;
import dev.outrigger.proxy.runtime.Transport;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Envoy's priority load (overprovisioning 1.4) and panic, as a table; then a cluster reacting to health. */
class PrioritiesTest {
  private static int nextHost;

  /** {@code total} endpoints of {@code priority}, the first {@code healthy} of them healthy. */
  private static List<Endpoint> level(int priority, int total, int healthy) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      Endpoint endpoint = new Endpoint(new InetSocketAddress("10.1.0." + (++nextHost % 250 + 1), 1000 + nextHost), 1, priority);
      endpoint.markHealthy(i < healthy);
      endpoints.add(endpoint);
    }
    return endpoints;
  }

  record Row(String name, int[][] levels, double threshold, int[] load, boolean[] panic) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> table() {
    return Stream.of(
        new Row("all healthy: the first priority takes everything", new int[][] {{10, 10}, {10, 10}}, 50,
            new int[] {100, 0}, new boolean[] {false, false}),
        new Row("half healthy: 1.4 x 50 = 70 stays, 30 spills", new int[][] {{10, 5}, {10, 10}}, 50,
            new int[] {70, 30}, new boolean[] {false, false}),
        new Row("80 % healthy is overprovisioned to 100", new int[][] {{10, 8}, {10, 10}}, 50,
            new int[] {100, 0}, new boolean[] {false, false}),
        new Row("20 % healthy: 28 stays, in panic", new int[][] {{10, 2}, {10, 10}}, 50,
            new int[] {28, 72}, new boolean[] {true, false}),
        new Row("both 30 %: health 42 + 42 scaled to 100", new int[][] {{10, 3}, {10, 3}}, 50,
            new int[] {50, 50}, new boolean[] {true, true}),
        new Row("threshold 0 disables panic", new int[][] {{10, 3}, {10, 3}}, 0,
            new int[] {50, 50}, new boolean[] {false, false}),
        new Row("nothing healthy: by endpoint count, all in panic", new int[][] {{4, 0}, {6, 0}}, 50,
            new int[] {40, 60}, new boolean[] {true, true}),
        new Row("three levels: the last gets what is left", new int[][] {{3, 1}, {3, 1}, {3, 1}}, 50,
            new int[] {46, 46, 8}, new boolean[] {true, true, true}),
        new Row("rounding goes to the first", new int[][] {{3, 1}, {7, 2}}, 50,
            new int[] {54, 46}, new boolean[] {true, true}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void loadAndPanicPerPriority(Row row) {
    List<List<Endpoint>> levels = new ArrayList<>();
    for (int p = 0; p < row.levels().length; p++) {
      levels.add(level(p, row.levels()[p][0], row.levels()[p][1]));
    }
    Priorities.Plan plan = Priorities.plan(levels, row.threshold());
    assertThat(plan.load()).containsExactly(row.load());
    assertThat(plan.panic()).containsExactly(row.panic());
  }

  @Test
  void picksFollowThePriorityLoad() {
    List<Endpoint> endpoints = new ArrayList<>(level(0, 10, 5));
    endpoints.addAll(level(1, 10, 10));
    Random random = new Random(1);
    LoadBalancer balancer = LoadBalancer.create(LbPolicy.RANDOM, LoadBalancerSettings.DEFAULTS, endpoints,
        () -> random, Ticker.systemTicker());
    int second = 0;
    Random hashes = new Random(2);
    for (int i = 0; i < 10_000; i++) {
      Endpoint picked = balancer.pick(hashes.nextLong());
      assertThat(picked.isHealthy()).isTrue();
      second += picked.priority();
    }
    assertThat(second / 10_000.0).isBetween(0.25, 0.35);
  }

  @Test
  void aClusterRebalancesWhenHealthChangesAndPanicsBelowTheThreshold() {
    DefaultEventLoop healthLoop = new DefaultEventLoop();
    ManagedCluster cluster = new ManagedCluster(
        new ClusterConfig("c", ClusterConfig.DiscoveryType.STATIC, Duration.ofSeconds(1), LbPolicy.ROUND_ROBIN,
            List.of(), ClusterConfig.UpstreamProtocol.HTTP1, Optional.empty(), Duration.ofSeconds(5)),
        Transport.best(), null, Random::new, Ticker.systemTicker(), UpstreamConnectionEvents.NONE, healthLoop);
    List<Endpoint> endpoints = level(0, 4, 4);
    cluster.update(endpoints);
    assertThat(picks(cluster)).hasSize(4);

    endpoints.get(0).markHealthy(false);
    assertThat(picks(cluster)).hasSize(3).doesNotContain(endpoints.get(0));

    endpoints.get(1).markHealthy(false);
    assertThat(picks(cluster)).hasSize(2);

    endpoints.get(2).markHealthy(false);
    assertThat(picks(cluster)).as("25 % healthy is below the 50 % threshold: every endpoint again").hasSize(4);

    endpoints.forEach(e -> e.markHealthy(true));
    assertThat(picks(cluster)).hasSize(4);
    cluster.close();
    healthLoop.shutdownGracefully();
  }

  private static Set<Endpoint> picks(ManagedCluster cluster) {
    Set<Endpoint> picked = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      picked.add(cluster.pick(i));
    }
    return picked;
  }
}
