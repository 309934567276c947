package dev.outrigger.proxy.upstream.health;

import dev.outrigger.proxy.config.OutlierDetectionConfig;
import dev.outrigger.proxy.upstream.EndpointOutcomes;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Counts one endpoint's consecutive failures, as Envoy's host monitor does. Every event loop that
 * carries requests reports here, so the counters are atomic; reaching a threshold hands the
 * decision to the detector on its loop ({@code onThreshold}). A counter resets on success and when
 * it fires, so it fires once per run of failures.
 */
final class OutlierMonitor implements EndpointOutcomes {
  private final OutlierDetectionConfig config;
  private final BiConsumer<OutlierMonitor, EjectionReason> onThreshold;
  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();
  private final AtomicInteger consecutiveLocalOriginFailures = new AtomicInteger();

  // Confined to the detector's loop.
  EndpointHealth health;
  int ejections;
  long ejectedAtNanos;
  long returnedAtNanos;
  boolean everReturned;

  OutlierMonitor(OutlierDetectionConfig config, BiConsumer<OutlierMonitor, EjectionReason> onThreshold) {
    this.config = config;
    this.onThreshold = onThreshold;
  }

  @Override
  public void responded(int status) {
    if (status < 500 || status > 599) {
      reset(consecutive5xx);
      reset(consecutiveGatewayFailures);
      return;
    }
    if (status >= 502 && status <= 504) {
      count(consecutiveGatewayFailures, config.consecutiveGatewayFailure(), EjectionReason.CONSECUTIVE_GATEWAY_FAILURE);
    } else {
      reset(consecutiveGatewayFailures);
    }
    count(consecutive5xx, config.consecutive5xx(), EjectionReason.CONSECUTIVE_5XX);
  }

  @Override
  public void connected() {
    if (config.splitExternalLocalOriginErrors()) {
      reset(consecutiveLocalOriginFailures);
    }
  }

  @Override
  public void connectedFinal() {
    if (config.splitExternalLocalOriginErrors()) {
      reset(consecutiveLocalOriginFailures);
    } else {
      responded(200);
    }
  }

  /** Without the split, Envoy counts it as the 503 the proxy answers. */
  @Override
  public void localOriginFailure() {
    localOrigin(503);
  }

  /** Without the split, Envoy counts it as the 504 the proxy answers. */
  @Override
  public void timedOut() {
    localOrigin(504);
  }

  private void localOrigin(int asStatus) {
    if (config.splitExternalLocalOriginErrors()) {
      count(consecutiveLocalOriginFailures, config.consecutiveLocalOriginFailure(),
          EjectionReason.CONSECUTIVE_LOCAL_ORIGIN_FAILURE);
    } else {
      responded(asStatus);
    }
  }

  /** Threshold 0 never fires: that detection is off. */
  private void count(AtomicInteger counter, int threshold, EjectionReason reason) {
    if (counter.incrementAndGet() == threshold) {
      counter.set(0);
      onThreshold.accept(this, reason);
    }
  }

  /** Read before write: the common case (already zero) leaves the shared cache line alone. */
  private static void reset(AtomicInteger counter) {
    if (counter.get() != 0) {
      counter.set(0);
    }
  }

  /** On return to service: a counter close to its threshold would eject again after a few errors. */
  void resetCounters() {
    consecutive5xx.set(0);
    consecutiveGatewayFailures.set(0);
    consecutiveLocalOriginFailures.set(0);
  }
}
