package dev.outrigger.proxy.upstream.health;

import static dev.outrigger.proxy.upstream.health.ProbeResult.HEALTHY;
import static dev.outrigger.proxy.upstream.health.ProbeResult.NETWORK_FAILURE;
import static dev.outrigger.proxy.upstream.health.ProbeResult.TIMEOUT;
import static dev.outrigger.proxy.upstream.health.ProbeResult.UNHEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outrigger.proxy.config.LoadBalancerSettings;
import dev.outrigger.proxy.config.CircuitBreakers;
import dev.outrigger.proxy.config.ClusterConfig;
import dev.outrigger.proxy.config.HealthCheckConfig;
import dev.outrigger.proxy.config.OutlierDetectionConfig;
import dev.outrigger.proxy.upstream.Endpoint;
import dev.outrigger.proxy.upstream.TestEndpoints;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The active check state machine on a frozen loop, with a scripted probe. */
class ActiveCheckTest {
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Duration TIMEOUT_AFTER = Duration.ofSeconds(1);

  private final FrozenLoop frozen = new FrozenLoop();
  private final RecordedEvents events = new RecordedEvents();
  private final ScriptedProbe probe = new ScriptedProbe();
  private final Endpoint endpoint = new Endpoint(new InetSocketAddress("127.0.0.1", 8080), 1);
  private ClusterHealth health;

  @AfterEach
  void close() {
    health.close();
    frozen.runPending();
    frozen.close();
  }

  private static HealthCheckConfig check(Duration jitter, int jitterPercent) {
    return new HealthCheckConfig(TIMEOUT_AFTER, INTERVAL, jitter, jitterPercent, 3, 2, new HealthCheckConfig.TcpProbe());
  }

  private void start(HealthCheckConfig check, Optional<OutlierDetectionConfig> outliers) {
    ClusterConfig cluster = new ClusterConfig("c", ClusterConfig.DiscoveryType.STATIC, Duration.ofSeconds(1),
        ClusterConfig.LbPolicy.ROUND_ROBIN, List.of(), ClusterConfig.UpstreamProtocol.HTTP1, Optional.empty(),
        Duration.ofSeconds(5), CircuitBreakers.DEFAULTS, Optional.of(check), outliers,
        LoadBalancerSettings.DEFAULTS);
    health = ClusterHealth.start(cluster, probe, frozen.loop(), frozen.ticker, new SplittableRandom(3), events, () -> {});
    health.track(endpoint);
  }

  private void start() {
    start(check(Duration.ZERO, 0), Optional.empty());
  }

  private void nextChecks(int count) {
    IntStream.range(0, count).forEach(i -> frozen.advance(INTERVAL));
  }

  @Test
  void aNewEndpointIsUnhealthyUntilItsFirstCheckPasses() {
    probe.then(HEALTHY);
    start();
    assertThat(endpoint.isHealthy()).as("unhealthy from the moment it is tracked").isFalse();

    frozen.runPending(); // the first check runs at once
    assertThat(endpoint.isHealthy()).isTrue();
    assertThat(events.checks).containsExactly(HEALTHY);
    assertThat(events.healthy).isEqualTo(1);
  }

  @Test
  void aFailedAnswerFailsAtOnceAndTheWayBackTakesHealthyThresholdPasses() {
    probe.then(HEALTHY, UNHEALTHY, HEALTHY, HEALTHY);
    start();
    frozen.runPending();
    assertThat(endpoint.isHealthy()).isTrue();

    nextChecks(1);
    assertThat(endpoint.isHealthy()).isFalse();
    nextChecks(1);
    assertThat(endpoint.isHealthy()).as("one pass of two").isFalse();
    nextChecks(1);
    assertThat(endpoint.isHealthy()).isTrue();
  }

  @Test
  void networkFailuresAndTimeoutsFailOnlyAfterUnhealthyThresholdInARow() {
    probe.then(HEALTHY, NETWORK_FAILURE, NETWORK_FAILURE, HEALTHY, NETWORK_FAILURE, NETWORK_FAILURE);
    start();
    frozen.runPending();
    nextChecks(5);
    assertThat(endpoint.isHealthy()).as("a pass broke the run").isTrue();

    nextChecks(1); // the probe answers no more: this check times out, the third failure in a row
    assertThat(endpoint.isHealthy()).isTrue();
    frozen.advance(TIMEOUT_AFTER);
    assertThat(endpoint.isHealthy()).isFalse();
    assertThat(events.checks).endsWith(NETWORK_FAILURE, NETWORK_FAILURE, TIMEOUT);
  }

  @Test
  void theNextCheckStartsAnIntervalAfterThePreviousEnded() {
    probe.then(HEALTHY, HEALTHY);
    start();
    frozen.runPending();
    assertThat(probe.checks).isEqualTo(1);

    frozen.advance(INTERVAL.minusMillis(1));
    assertThat(probe.checks).isEqualTo(1);
    frozen.advance(Duration.ofMillis(1));
    assertThat(probe.checks).isEqualTo(2);
  }

  @Test
  void jitterDelaysTheNextCheckWithinItsBounds() {
    probe.then(HEALTHY, HEALTHY);
    start(check(Duration.ofSeconds(1), 20), Optional.empty()); // up to 1 s + 20% of 5 s
    frozen.runPending();

    frozen.advance(INTERVAL.minusMillis(1));
    assertThat(probe.checks).isEqualTo(1);
    frozen.advance(Duration.ofSeconds(2));
    assertThat(probe.checks).isEqualTo(2);
  }

  @Test
  void checksStopWhenTheEndpointLeavesTheCluster() {
    probe.then(HEALTHY, HEALTHY, HEALTHY);
    start();
    frozen.runPending();
    TestEndpoints.retire(endpoint);
    nextChecks(3);
    assertThat(probe.checks).isEqualTo(1);
  }

  @Test
  void checksStopWhenTheClusterCloses() {
    probe.then(HEALTHY, HEALTHY, HEALTHY);
    start();
    frozen.runPending();
    health.close();
    nextChecks(3);
    assertThat(probe.checks).isEqualTo(1);
  }

  @Test
  void aPassedCheckEndsAnEjection() {
    probe.then(HEALTHY, HEALTHY);
    start(check(Duration.ZERO, 0), Optional.of(new OutlierDetectionConfig(1, 0, 0, 100, 0, 100, false,
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 100, false)));
    frozen.runPending();
    endpoint.outcomes().responded(500);
    frozen.runPending();
    assertThat(endpoint.isHealthy()).isFalse();

    nextChecks(1);
    assertThat(endpoint.isHealthy()).isTrue();
  }
}
