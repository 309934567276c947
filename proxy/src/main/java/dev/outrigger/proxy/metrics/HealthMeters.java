package dev.outrigger.proxy.metrics;

import dev.outrigger.proxy.upstream.health.EjectionReason;
import dev.outrigger.proxy.upstream.health.HealthEvents;
import dev.outrigger.proxy.upstream.health.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The health meters of one cluster, every label value bound up front: {@code
 * outrigger_upstream_health_checks_total{cluster,result}}, {@code
 * outrigger_upstream_ejections_total{cluster,reason}}, {@code
 * outrigger_upstream_endpoints_healthy{cluster}} (once the cluster tracks health). Called on the
 * cluster's health loop.
 */
final class HealthMeters implements HealthEvents {
  private final Map<ProbeResult, Counter> checks = new EnumMap<>(ProbeResult.class);
  private final Map<EjectionReason, Counter> ejections = new EnumMap<>(EjectionReason.class);
  private final AtomicInteger healthy = new AtomicInteger();
  private final Gauge.Builder<AtomicInteger> healthyGauge;
  private final MeterRegistry registry;
  private boolean gaugeRegistered;

  HealthMeters(MeterRegistry registry, String cluster) {
    this.registry = registry;
    for (ProbeResult result : ProbeResult.values()) {
      checks.put(result, Counter.builder("outrigger.upstream.health_checks")
          .tags(Tags.of("cluster", cluster, "result", result.label())).register(registry));
    }
    for (EjectionReason reason : EjectionReason.values()) {
      ejections.put(reason, Counter.builder("outrigger.upstream.ejections")
          .tags(Tags.of("cluster", cluster, "reason", reason.label())).register(registry));
    }
    this.healthyGauge = Gauge.builder("outrigger.upstream.endpoints.healthy", healthy, AtomicInteger::get)
        .tags(Tags.of("cluster", cluster));
  }

  @Override
  public void checked(ProbeResult result) {
    checks.get(result).increment();
  }

  @Override
  public void ejected(EjectionReason reason) {
    ejections.get(reason).increment();
  }

  @Override
  public void healthyEndpoints(int count) {
    healthy.set(count);
    // Only clusters that track health report a count; for the others the gauge would say 0.
    if (!gaugeRegistered) {
      gaugeRegistered = true;
      healthyGauge.register(registry);
    }
  }
}
