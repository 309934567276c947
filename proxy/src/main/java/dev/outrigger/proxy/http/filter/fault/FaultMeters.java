package dev.outrigger.proxy.http.filter.fault;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code outrigger_http_faults_total{filter, kind}}: delays and aborts injected, and faults skipped at the limit. */
record FaultMeters(Counter delays, Counter aborts, Counter overflows) {
  private static final String NAME = "outrigger.http.faults";

  static FaultMeters of(MeterRegistry registry, String filter) {
    return new FaultMeters(
        counter(registry, filter, "delay"), counter(registry, filter, "abort"), counter(registry, filter, "overflow"));
  }

  private static Counter counter(MeterRegistry registry, String filter, String kind) {
    return Counter.builder(NAME)
        .description("Faults injected by an HTTP fault filter (overflow: skipped at max_active_faults)")
        .tag("filter", filter)
        .tag("kind", kind)
        .register(registry);
  }
}
