package dev.outrigger.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outrigger.controlplane.audit.AuditEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CA's decisions as events: at the decision's time, about the SPIFFE ID, without what does not apply. */
class CertificateEventsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant SIGNED = Instant.parse("2026-11-29T17:00:00Z");

  final EventHub hub = new EventHub(10, 10, new SimpleMeterRegistry());
  final CertificateEvents events = new CertificateEvents(new Emitter(Emitter.CONTROL_PLANE, Clock.systemUTC(), hub));

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void issuedAndRefused() throws Exception {
    events.record(AuditEvent.issued(SIGNED, "spiffe://example.org/ns/shop/sa/cart", "3f2a", "0a1b",
        SIGNED.plusSeconds(3600)));
    events.record(AuditEvent.refused(SIGNED, null, null, "not a CSR"));

    CloudEvent issued = hub.recent().get(0);
    assertThat(issued.type()).isEqualTo("dev.outrigger.certificate.issued");
    assertThat(issued.subject()).isEqualTo("spiffe://example.org/ns/shop/sa/cart");
    assertThat(issued.time()).isEqualTo(SIGNED);
    assertThat(issued.data()).isEqualTo(JSON.readTree("""
        {"spiffeId": "spiffe://example.org/ns/shop/sa/cart", "caller": "3f2a", "serial": "0a1b",
         "notAfter": "2026-11-29T18:00:00Z"}
        """));
    CloudEvent refused = hub.recent().get(1);
    assertThat(refused.type()).isEqualTo("dev.outrigger.certificate.refused");
    assertThat(refused.subject()).isNull();
    assertThat(refused.data()).isEqualTo(JSON.readTree("{\"reason\": \"not a CSR\"}"));
  }
}
