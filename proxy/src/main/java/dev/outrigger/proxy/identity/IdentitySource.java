package dev.outrigger.proxy.identity;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;

/**
 * Where the workload's identity comes from: the Outrigger CA, the SPIFFE Workload API, or PEM
 * files. A source keeps its identity current by itself (renewal, reload, pushed updates) and hands
 * every new one to the consumer given at start; new TLS handshakes use it from then on.
 */
public interface IdentitySource extends AutoCloseable {

  /** Makes the source when the proxy starts, so that its meters join the proxy's registry. */
  @FunctionalInterface
  interface Factory {
    IdentitySource create(MeterRegistry registry);
  }

  /**
   * Begins delivering identities to {@code updates}: the first as soon as one is available, then
   * each replacement. Failures to renew are the source's to retry and to report (log, metrics); the
   * last delivered identity stays in use meanwhile.
   */
  void start(Consumer<WorkloadIdentity> updates);

  /** Stops renewing; safe to call more than once. */
  @Override
  void close();
}
