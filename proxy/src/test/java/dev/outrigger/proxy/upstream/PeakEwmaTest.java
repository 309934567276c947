package dev.outrigger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The estimate (peak, moving average, decay) and the balancer's choices, on a mock clock. */
class PeakEwmaTest {
  private static final long MS = 1_000_000;
  private static final long DECAY = 10_000 * MS;
  private static final long DEFAULT_RTT = 30 * MS;

  private final MockTicker ticker = Ticker.newMockTicker();

  private static Endpoint endpoint(int lastOctet) {
    return new Endpoint(new InetSocketAddress("10.2.0." + lastOctet, 80), 1);
  }

  @Test
  void anEstimateTakesPeaksAtOnceAndFasterSamplesByTime() {
    LatencyEstimate estimate = new LatencyEstimate();
    assertThat(estimate.nanos(0, DECAY, DEFAULT_RTT)).isEqualTo(DEFAULT_RTT);

    estimate.record(100 * MS, 0, DECAY);
    assertThat(estimate.nanos(0, DECAY, DEFAULT_RTT)).isEqualTo(100 * MS);

    // A fast sample right after barely moves it; one after a whole decay time moves it by 1 - 1/e.
    estimate.record(MS, 1 * MS, DECAY);
    assertThat(estimate.nanos(1 * MS, DECAY, DEFAULT_RTT)).isCloseTo(100 * MS, within(0.02 * MS));
    estimate.record(MS, 1 * MS + DECAY, DECAY);
    assertThat(estimate.nanos(1 * MS + DECAY, DECAY, DEFAULT_RTT))
        .isCloseTo(MS + 99 * MS * Math.exp(-1), within(0.1 * MS));
  }

  @Test
  void withoutSamplesAnEstimateDecaysTowardsZero() {
    LatencyEstimate estimate = new LatencyEstimate();
    estimate.record(100 * MS, 0, DECAY);
    assertThat(estimate.nanos(DECAY, DECAY, DEFAULT_RTT)).isCloseTo(100 * MS * Math.exp(-1), within(0.1 * MS));
    assertThat(estimate.nanos(10 * DECAY, DECAY, DEFAULT_RTT)).isLessThan(0.01 * MS);
  }

  @Test
  void theSlowEndpointLosesUntilTheFastOneCarriesMoreLoad() {
    Endpoint slow = endpoint(1);
    Endpoint fast = endpoint(2);
    PeakEwma balancer = new PeakEwma(List.of(slow, fast), () -> new Random(5), ticker, DECAY, DEFAULT_RTT);
    slow.latency().record(50 * MS, ticker.nanoTime(), DECAY);
    fast.latency().record(2 * MS, ticker.nanoTime(), DECAY);
    for (int i = 0; i < 100; i++) {
      assertThat(balancer.pick(0)).isSameAs(fast);
    }
    // Both estimates decay alike, so with traffic flowing it is load that brings the slow one back.
    for (int i = 0; i < 30; i++) {
      fast.requestStarted();
    }
    assertThat(balancer.pick(0)).as("31 x 2 ms costs more than 1 x 50 ms").isSameAs(slow);
  }

  @Test
  void anEndpointThatWentQuietIsTriedAgain() {
    Endpoint slow = endpoint(1);
    Endpoint fast = endpoint(2);
    PeakEwma balancer = new PeakEwma(List.of(slow, fast), () -> new Random(5), ticker, DECAY, DEFAULT_RTT);
    slow.latency().record(50 * MS, ticker.nanoTime(), DECAY);
    ticker.advance(40, TimeUnit.SECONDS);
    fast.latency().record(2 * MS, ticker.nanoTime(), DECAY);
    assertThat(balancer.pick(0)).as("50 ms decayed over 4 decay times is below 1 ms").isSameAs(slow);
  }

  @Test
  void equalEndpointsShareTheLoad() {
    List<Endpoint> endpoints = List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(4));
    Random random = new Random(9);
    PeakEwma balancer = new PeakEwma(endpoints, () -> random, ticker, DECAY, DEFAULT_RTT);
    endpoints.forEach(e -> e.latency().record(5 * MS, ticker.nanoTime(), DECAY));
    Map<Endpoint, Integer> counts = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      counts.merge(balancer.pick(0), 1, Integer::sum);
    }
    assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(700, 1300));
  }
}
