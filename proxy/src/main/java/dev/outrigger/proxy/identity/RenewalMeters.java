package dev.outrigger.proxy.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code outrigger_identity_renewals_total{result}} and {@code outrigger_identity_renewal_failing}:
 * the gauge is 1 from the first failed attempt to get a new certificate until one succeeds, which
 * with renewal at half the lifetime is long before the current certificate expires.
 */
final class RenewalMeters {
  private final Counter succeeded;
  private final Counter failed;
  private final AtomicInteger failing = new AtomicInteger();

  RenewalMeters(MeterRegistry registry) {
    this.succeeded = Counter.builder("outrigger.identity.renewals").tag("result", "success").register(registry);
    this.failed = Counter.builder("outrigger.identity.renewals").tag("result", "failure").register(registry);
    Gauge.builder("outrigger.identity.renewal_failing", failing, AtomicInteger::get).strongReference(true).register(registry);
  }

  void succeeded() {
    succeeded.increment();
    failing.set(0);
  }

  void failed() {
    failed.increment();
    failing.set(1);
  }
}
