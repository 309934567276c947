package dev.outrigger.controlplane.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Makes events of one source and publishes them: the adapters' common step. Ids are random UUIDs,
 * unique across restarts and across processes writing the same file (source + id identify an
 * event), which a counter would not be.
 */
public final class Emitter {
  /** The running control plane. */
  public static final String CONTROL_PLANE = "//outrigger/control-plane";
  /** {@code outrigger ctl} acting on the state directory itself (root rotation). */
  public static final String CTL = "//outrigger/ctl";

  private final String source;
  private final Clock clock;
  private final EventPublisher publisher;

  public Emitter(String source, Clock clock, EventPublisher publisher) {
    this.source = source;
    this.clock = clock;
    this.publisher = publisher;
  }

  /** @param subject what the event is about; null if nothing in particular */
  void emit(String type, String subject, JsonNode data) {
    emit(type, subject, clock.instant(), data);
  }

  /** For an occurrence that carries its own time. */
  void emit(String type, String subject, Instant time, JsonNode data) {
    publisher.publish(new CloudEvent(UUID.randomUUID().toString(), source, type, subject, time, data));
  }
}
