package dev.outrigger.controlplane.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outrigger.controlplane.audit.AuditEvent;
import dev.outrigger.controlplane.audit.AuditSink;

/**
 * {@code dev.outrigger.certificate.issued|refused}: the CA's signing decisions. Subject: the
 * SPIFFE ID asked for (absent when the request was unreadable). The event's time is the
 * decision's. Alongside {@code audit.log}, not instead of it.
 */
public final class CertificateEvents implements AuditSink {
  static final String ISSUED = "dev.outrigger.certificate.issued";
  static final String REFUSED = "dev.outrigger.certificate.refused";

  private final Emitter emitter;

  public CertificateEvents(Emitter emitter) {
    this.emitter = emitter;
  }

  @Override
  public void record(AuditEvent event) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    putIfPresent(data, "spiffeId", event.spiffeId());
    putIfPresent(data, "caller", event.caller());
    putIfPresent(data, "serial", event.serial());
    putIfPresent(data, "notAfter", event.notAfter() == null ? null : event.notAfter().toString());
    putIfPresent(data, "reason", event.reason());
    emitter.emit(event.result() == AuditEvent.Result.ISSUED ? ISSUED : REFUSED, event.spiffeId(),
        event.time(), data);
  }

  private static void putIfPresent(ObjectNode data, String field, String value) {
    if (value != null) {
      data.put(field, value);
    }
  }
}
