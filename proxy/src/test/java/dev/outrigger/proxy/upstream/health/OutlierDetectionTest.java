package dev.outrigger.proxy.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.LoadBalancerSettings;
import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.OutlierDetectionConfig;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.TestEndpoints;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Outlier detection on a frozen loop: ejection, return, backoff and limits without sleeping. */
class OutlierDetectionTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration BASE = Duration.ofSeconds(30);

  private final FrozenLoop frozen = new FrozenLoop();
  private final RecordedEvents events = new RecordedEvents();
  private final AtomicInteger rebuilds = new AtomicInteger();
  private ClusterHealth health;

  @AfterEach
  void close() {
    health.close();
    frozen.runPending();
    frozen.close();
  }

  /** Envoy's defaults, except that any share of the cluster may be ejected. */
  private static OutlierDetectionConfig config() {
    OutlierDetectionConfig d = OutlierDetectionConfig.DEFAULTS;
    return new OutlierDetectionConfig(d.consecutive5xx(), d.consecutiveGatewayFailure(), d.consecutiveLocalOriginFailure(),
        d.enforcingConsecutive5xx(), d.enforcingConsecutiveGatewayFailure(), d.enforcingConsecutiveLocalOriginFailure(),
        false, INTERVAL, BASE, Duration.ofSeconds(300), 100, false);
  }

  private List<Endpoint> start(OutlierDetectionConfig od, int endpoints) {
    ClusterConfig cluster = new ClusterConfig("c", ClusterConfig.DiscoveryType.STATIC, Duration.ofSeconds(1),
        ClusterConfig.LbPolicy.ROUND_ROBIN, List.of(), ClusterConfig.UpstreamProtocol.HTTP1, Optional.empty(),
        Duration.ofSeconds(5), CircuitBreakers.DEFAULTS, Optional.empty(), Optional.of(od),
        LoadBalancerSettings.DEFAULTS);
    health = ClusterHealth.start(cluster, null, frozen.loop(), frozen.ticker, new SplittableRandom(7), events,
        rebuilds::incrementAndGet);
    List<Endpoint> tracked = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      Endpoint endpoint = new Endpoint(new InetSocketAddress("127.0.0.1", 8000 + i), 1);
      health.track(endpoint);
      tracked.add(endpoint);
    }
    frozen.runPending();
    return tracked;
  }

  private void respond(Endpoint endpoint, int status, int times) {
    IntStream.range(0, times).forEach(i -> endpoint.outcomes().responded(status));
    frozen.runPending();
  }

  @Test
  void fiveConsecutive5xxEjectAndASuccessInBetweenStartsTheCountAgain() {
    Endpoint endpoint = start(config(), 2).get(0);

    respond(endpoint, 500, 4);
    respond(endpoint, 200, 1);
    respond(endpoint, 500, 4);
    assertThat(endpoint.isHealthy()).isTrue();

    respond(endpoint, 500, 1);
    assertThat(endpoint.isHealthy()).isFalse();
    assertThat(events.ejections).containsExactly(EjectionReason.CONSECUTIVE_5XX);
    assertThat(events.healthy).isEqualTo(1);
    assertThat(rebuilds).hasValue(1);
  }

  @Test
  void anEjectedEndpointReturnsAtTheFirstSweepAfterItsTimeAndIsEjectedLongerNextTime() {
    Endpoint endpoint = start(config(), 2).get(0);
    respond(endpoint, 503, 5);
    assertThat(endpoint.isHealthy()).isFalse();

    frozen.advance(Duration.ofSeconds(29));
    assertThat(endpoint.isHealthy()).isFalse();
    frozen.advance(Duration.ofSeconds(1)); // the sweep at 30 s
    assertThat(endpoint.isHealthy()).isTrue();
    assertThat(events.healthy).isEqualTo(2);

    respond(endpoint, 503, 5); // second ejection in a row: 60 s
    frozen.advance(Duration.ofSeconds(50));
    assertThat(endpoint.isHealthy()).isFalse();
    frozen.advance(Duration.ofSeconds(10));
    assertThat(endpoint.isHealthy()).isTrue();
  }

  @Test
  void theEjectionTimeStopsGrowingAtTheMaximum() {
    Endpoint endpoint = start(new OutlierDetectionConfig(1, 0, 0, 100, 0, 100, false, INTERVAL, BASE,
        Duration.ofSeconds(40), 100, false), 2).get(0);
    for (int ejection = 1; ejection <= 3; ejection++) {
      respond(endpoint, 500, 1);
      assertThat(endpoint.isHealthy()).isFalse();
      frozen.advance(Duration.ofSeconds(ejection == 1 ? 30 : 40));
      assertThat(endpoint.isHealthy()).as("back after ejection %d", ejection).isTrue();
    }
  }

  @Test
  void timeInServiceBringsTheMultiplierDown() {
    Endpoint endpoint = start(config(), 2).get(0);
    respond(endpoint, 500, 5);
    frozen.advance(Duration.ofSeconds(30)); // back; multiplier 1
    respond(endpoint, 500, 5);
    frozen.advance(Duration.ofSeconds(60)); // back; multiplier 2
    assertThat(endpoint.isHealthy()).isTrue();

    frozen.advance(INTERVAL.multipliedBy(2)); // two sweeps in service: multiplier 0
    respond(endpoint, 500, 5); // multiplier 1 again: 30 s
    frozen.advance(Duration.ofSeconds(30));
    assertThat(endpoint.isHealthy()).isTrue();
  }

  @Test
  void gatewayFailuresAreDetectedButNotEnforcedByDefault() {
    Endpoint endpoint = start(config(), 2).get(0);
    respond(endpoint, 502, 4);
    assertThat(endpoint.isHealthy()).isTrue();
    respond(endpoint, 502, 1); // 5 gateway failures (not enforced) and 5 5xx (enforced)
    assertThat(events.ejections).containsExactly(EjectionReason.CONSECUTIVE_5XX);
  }

  @Test
  void enforcedGatewayFailuresEjectBeforeThe5xxCount() {
    Endpoint endpoint = start(new OutlierDetectionConfig(5, 3, 5, 100, 100, 100, false, INTERVAL, BASE,
        Duration.ofSeconds(300), 100, false), 2).get(0);
    respond(endpoint, 504, 3);
    assertThat(events.ejections).containsExactly(EjectionReason.CONSECUTIVE_GATEWAY_FAILURE);
  }

  @Test
  void withoutTheSplitLocalOriginFailuresCountAs503And504() {
    Endpoint endpoint = start(config(), 2).get(0);
    endpoint.outcomes().localOriginFailure();
    endpoint.outcomes().timedOut();
    endpoint.outcomes().connected(); // says nothing about the response
    endpoint.outcomes().localOriginFailure();
    respond(endpoint, 500, 2);
    assertThat(events.ejections).containsExactly(EjectionReason.CONSECUTIVE_5XX);
  }

  @Test
  void withTheSplitLocalOriginFailuresHaveTheirOwnCount() {
    Endpoint endpoint = start(new OutlierDetectionConfig(5, 5, 3, 100, 0, 100, true, INTERVAL, BASE,
        Duration.ofSeconds(300), 100, false), 2).get(0);
    endpoint.outcomes().localOriginFailure();
    endpoint.outcomes().localOriginFailure();
    endpoint.outcomes().connected(); // a connection made: the run ends
    endpoint.outcomes().localOriginFailure();
    endpoint.outcomes().timedOut();
    respond(endpoint, 500, 4); // the 5xx count does not see them
    assertThat(endpoint.isHealthy()).isTrue();

    endpoint.outcomes().localOriginFailure();
    frozen.runPending();
    assertThat(events.ejections).containsExactly(EjectionReason.CONSECUTIVE_LOCAL_ORIGIN_FAILURE);
  }

  @Test
  void maxEjectionPercentKeepsEndpointsInService() {
    OutlierDetectionConfig d = OutlierDetectionConfig.DEFAULTS; // 10%
    List<Endpoint> endpoints = start(new OutlierDetectionConfig(1, 0, 0, 100, 0, 100, false, INTERVAL, BASE,
        Duration.ofSeconds(300), d.maxEjectionPercent(), false), 3);
    respond(endpoints.get(0), 500, 1);
    assertThat(endpoints.get(0).isHealthy()).as("1 of 3 is more than 10%").isTrue();
  }

  @Test
  void alwaysEjectOneHostAllowsOneBeyondThePercentage() {
    List<Endpoint> endpoints = start(new OutlierDetectionConfig(1, 0, 0, 100, 0, 100, false, INTERVAL, BASE,
        Duration.ofSeconds(300), 10, true), 3);
    respond(endpoints.get(0), 500, 1);
    respond(endpoints.get(1), 500, 1);
    assertThat(endpoints).extracting(Endpoint::isHealthy).containsExactly(false, true, true);
  }

  @Test
  void halfOfFourMayBeEjected() {
    List<Endpoint> endpoints = start(new OutlierDetectionConfig(1, 0, 0, 100, 0, 100, false, INTERVAL, BASE,
        Duration.ofSeconds(300), 50, false), 4);
    endpoints.forEach(endpoint -> respond(endpoint, 500, 1));
    assertThat(endpoints).extracting(Endpoint::isHealthy).containsExactly(false, false, true, true);
  }

  @Test
  void aZeroPercentEnforcementNeverEjects() {
    Endpoint endpoint = start(new OutlierDetectionConfig(1, 0, 0, 0, 0, 100, false, INTERVAL, BASE,
        Duration.ofSeconds(300), 100, false), 2).get(0);
    respond(endpoint, 500, 10);
    assertThat(endpoint.isHealthy()).isTrue();
    assertThat(events.ejections).isEmpty();
  }

  @Test
  void aRetiredEndpointLeavesTheCountAndFreesItsEjectionSlot() {
    List<Endpoint> endpoints = start(new OutlierDetectionConfig(1, 0, 0, 100, 0, 100, false, INTERVAL, BASE,
        Duration.ofSeconds(300), 50, false), 2);
    respond(endpoints.get(0), 500, 1);
    assertThat(endpoints.get(0).isHealthy()).isFalse();
    TestEndpoints.retire(endpoints.get(0));
    frozen.runPending();
    Endpoint newcomer = new Endpoint(new InetSocketAddress("127.0.0.1", 9000), 1);
    health.track(newcomer);
    frozen.runPending();

    respond(endpoints.get(1), 500, 1);
    assertThat(endpoints.get(1).isHealthy()).as("1 of 2 tracked is 50%").isFalse();
  }
}
