package dev.outrigger.controlplane.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The xDS server's meters, resolved once. Prometheus names in the comments. */
final class XdsMetrics {
  private final Map<ResourceType, Counter> pushes = new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, Counter> nacks = new EnumMap<>(ResourceType.class);
  private final Timer pushTime;
  private final Timer convergenceTime;

  XdsMetrics(MeterRegistry registry, Supplier<Number> connectedProxies) {
    for (ResourceType type : ResourceType.values()) {
      // outrigger_xds_pushes_total{type}
      pushes.put(type, Counter.builder("outrigger.xds.pushes").tag("type", type.shortName())
          .description("xDS responses sent").register(registry));
      // outrigger_xds_nacks_total{type}
      nacks.put(type, Counter.builder("outrigger.xds.nacks").tag("type", type.shortName())
          .description("xDS responses rejected by a proxy").register(registry));
    }
    // outrigger_xds_push_duration_seconds
    pushTime = Timer.builder("outrigger.xds.push.duration")
        .description("Time to compute and send one push to one proxy stream")
        .publishPercentileHistogram().register(registry);
    // outrigger_xds_convergence_seconds
    convergenceTime = Timer.builder("outrigger.xds.convergence")
        .description("From a change of a proxy's resources to that proxy having accepted all of it")
        .publishPercentileHistogram().register(registry);
    // outrigger_xds_connected_proxies
    Gauge.builder("outrigger.xds.connected.proxies", connectedProxies)
        .description("Proxies (distinct node ids) with an open ADS stream").register(registry);
  }

  void pushed(ResourceType type) {
    pushes.get(type).increment();
  }

  void nacked(ResourceType type) {
    nacks.get(type).increment();
  }

  void pushTook(long nanos) {
    pushTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  void converged(long nanos) {
    convergenceTime.record(nanos, TimeUnit.NANOSECONDS);
  }
}
