package dev.outrigger.controlplane.audit;

/** Where audit events go. Implementations must not throw: a failed write is logged, signing goes on. */
@FunctionalInterface
public interface AuditSink {
  void record(AuditEvent event);
}
