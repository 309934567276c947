package dev.outrigger.proxy.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The identity meters, every label value bound up front: peers rejected by reason and side, peers
 * accepted, identity updates applied or refused, and the current certificate's validity (epoch
 * seconds; -1 before the first identity), so alerts can fire well before expiry.
 */
public final class IdentityMetrics {
  private final Map<PeerSide, Map<RejectReason, Counter>> rejected = new EnumMap<>(PeerSide.class);
  private final Map<PeerSide, Counter> validated = new EnumMap<>(PeerSide.class);
  private final Counter updatesApplied;
  private final Counter updatesRefused;

  public IdentityMetrics(MeterRegistry registry) {
    for (PeerSide side : PeerSide.values()) {
      Map<RejectReason, Counter> bySide = new EnumMap<>(RejectReason.class);
      for (RejectReason reason : RejectReason.values()) {
        bySide.put(reason, Counter.builder("outrigger.identity.peer_rejected")
            .description("Peer certificates refused by SPIFFE validation")
            .tag("direction", side.label()).tag("reason", reason.label()).register(registry));
      }
      rejected.put(side, bySide);
      validated.put(side, Counter.builder("outrigger.identity.peer_validated")
          .description("Peer certificates accepted by SPIFFE validation")
          .tag("direction", side.label()).register(registry));
    }
    updatesApplied = updates(registry, "applied");
    updatesRefused = updates(registry, "refused");
  }

  private static Counter updates(MeterRegistry registry, String result) {
    return Counter.builder("outrigger.identity.updates")
        .description("Identities delivered by the identity source").tag("result", result).register(registry);
  }

  /** Gauges read from {@code identities} at scrape time. */
  public void watch(MeterRegistry registry, WorkloadIdentities identities) {
    gauge(registry, "outrigger.identity.certificate.expiry.seconds", "Not-after of the workload certificate",
        identities, w -> leaf(w).map(c -> c.getNotAfter().getTime() / 1000.0).orElse(-1.0));
    gauge(registry, "outrigger.identity.certificate.not_before.seconds", "Not-before of the workload certificate",
        identities, w -> leaf(w).map(c -> c.getNotBefore().getTime() / 1000.0).orElse(-1.0));
    gauge(registry, "outrigger.identity.bundle.roots", "Roots in the trust bundle",
        identities, w -> w.current().map(i -> i.trustBundle().size()).orElse(0));
  }

  private static Optional<X509Certificate> leaf(WorkloadIdentities identities) {
    return identities.current().map(i -> i.leaf());
  }

  private static void gauge(
      MeterRegistry registry, String name, String description, WorkloadIdentities identities,
      ToDoubleFunction<WorkloadIdentities> value) {
    Gauge.builder(name, identities, value).description(description).register(registry);
  }

  void rejected(PeerSide side, RejectReason reason) {
    rejected.get(side).get(reason).increment();
  }

  void validated(PeerSide side) {
    validated.get(side).increment();
  }

  void updateApplied() {
    updatesApplied.increment();
  }

  void updateRefused() {
    updatesRefused.increment();
  }
}
