package dev.outrigger.controlplane.audit;

/** Where audit events go. Implementations must not throw: a failed write is logged, signing goes on. */
@FunctionalInterface
public interface AuditSink {
  void record(AuditEvent event);

  /** Records to this sink, then to {@code next}. */
  default AuditSink andThen(AuditSink next) {
    return event -> {
      record(event);
      next.record(event);
    };
  }
}
