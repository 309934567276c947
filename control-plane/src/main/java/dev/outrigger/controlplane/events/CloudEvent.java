package dev.outrigger.controlplane.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One CloudEvents 1.0 event (JSON format), as the control plane emits it for every change an
 * operator or auditor cares about. {@code specversion} is always {@code 1.0} and
 * {@code datacontenttype} always {@code application/json}, so neither is a field here.
 *
 * @param id unique per source (CloudEvents: source + id identify the event)
 * @param source the emitting control plane, a URI reference such as {@code //outrigger/control-plane}
 * @param type reverse-DNS, e.g. {@code dev.outrigger.resource.applied}
 * @param subject what the event is about (a resource id, a node id, a SPIFFE ID); null if none
 * @param data the event's payload; copied, so the record stays immutable
 */
public record CloudEvent(String id, String source, String type, String subject, Instant time,
    JsonNode data) {
  public static final String SPEC_VERSION = "1.0";
  public static final String DATA_CONTENT_TYPE = "application/json";

  public CloudEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    data = data == null ? null : data.deepCopy();
  }

  /** The payload; a copy, since {@link JsonNode}s are mutable. */
  @Override
  public JsonNode data() {
    return data == null ? null : data.deepCopy();
  }
}
