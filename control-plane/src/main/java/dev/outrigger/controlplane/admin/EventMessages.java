package dev.outrigger.controlplane.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.outrigger.controlplane.events.CloudEvent;

/** Control-plane events as the admin API's {@code CloudEvent} message (whose JSON is CloudEvents JSON). */
final class EventMessages {
  private EventMessages() {}

  static dev.outrigger.api.admin.v1.CloudEvent message(CloudEvent event) {
    dev.outrigger.api.admin.v1.CloudEvent.Builder message = dev.outrigger.api.admin.v1.CloudEvent.newBuilder()
        .setSpecversion(CloudEvent.SPEC_VERSION).setId(event.id()).setSource(event.source())
        .setType(event.type()).setTime(ProxyViews.timestamp(event.time()));
    if (event.subject() != null) {
      message.setSubject(event.subject());
    }
    JsonNode data = event.data();
    if (data != null) {
      message.setDatacontenttype(CloudEvent.DATA_CONTENT_TYPE).setData(value(data));
    }
    return message.build();
  }

  private static Value value(JsonNode data) {
    Value.Builder value = Value.newBuilder();
    try {
      JsonFormat.parser().merge(data.toString(), value);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("any JSON is a protobuf Value", e);
    }
    return value.build();
  }
}
