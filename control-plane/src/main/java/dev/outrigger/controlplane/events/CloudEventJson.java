package dev.outrigger.controlplane.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The CloudEvents 1.0 JSON event format (structured mode): one event as one JSON object whose
 * members are the context attributes, and the payload in {@code data} as a JSON value.
 *
 * <p>Reading follows the format's decoding rules: a {@code null} attribute is an absent one, an
 * absent {@code datacontenttype} means {@code application/json}, extension attributes (other
 * top-level members) are allowed and not kept. What a {@link CloudEvent} cannot carry is refused:
 * another spec version, non-JSON data ({@code data_base64}, or a content type that is not
 * {@code *}{@code /json} or {@code *}{@code /*+json}), and an event without {@code time}.
 */
public final class CloudEventJson {
  /** The structured mode's content type (JSON format, section 3). */
  public static final String MEDIA_TYPE = "application/cloudevents+json";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** RFC 3339 allows a lower-case {@code t} and {@code z}; ISO_OFFSET_DATE_TIME alone does not. */
  private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
      .parseCaseInsensitive().append(DateTimeFormatter.ISO_OFFSET_DATE_TIME).toFormatter(Locale.ROOT);

  private CloudEventJson() {}

  /** The event as one line of JSON (no line breaks: JSON strings escape them). */
  public static String write(CloudEvent event) {
    try {
      return JSON.writeValueAsString(toJson(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  public static ObjectNode toJson(CloudEvent event) {
    ObjectNode json = JSON.createObjectNode()
        .put("specversion", CloudEvent.SPEC_VERSION)
        .put("id", event.id())
        .put("source", event.source())
        .put("type", event.type());
    if (event.subject() != null) {
      json.put("subject", event.subject());
    }
    json.put("time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
    JsonNode data = event.data();
    if (data != null) {
      json.put("datacontenttype", CloudEvent.DATA_CONTENT_TYPE);
      json.set("data", data);
    }
    return json;
  }

  /** Parses one event; an IllegalArgumentException names the member that is wrong. */
  public static CloudEvent read(String json) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    return read(tree);
  }

  public static CloudEvent read(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("a CloudEvent is a JSON object");
    }
    String specVersion = requiredString(json, "specversion");
    if (!specVersion.equals(CloudEvent.SPEC_VERSION)) {
      throw new IllegalArgumentException("specversion: " + specVersion + " is not supported (only "
          + CloudEvent.SPEC_VERSION + ")");
    }
    if (present(json, "data_base64")) {
      throw new IllegalArgumentException("data_base64: binary data is not supported (only JSON data)");
    }
    String contentType = optionalString(json, "datacontenttype");
    if (contentType != null && !declaresJson(contentType)) {
      throw new IllegalArgumentException("datacontenttype: " + contentType + " is not JSON");
    }
    String time = requiredString(json, "time");
    return new CloudEvent(requiredString(json, "id"), requiredString(json, "source"),
        requiredString(json, "type"), optionalString(json, "subject"), parseTime(time),
        json.has("data") ? json.get("data") : null);
  }

  /** JSON format 3.1.1: the media type without parameters is {@code * /json} or {@code * /*+json}. */
  private static boolean declaresJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    int slash = mediaType.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String subtype = mediaType.substring(slash + 1);
    return subtype.equals("json") || subtype.endsWith("+json");
  }

  private static Instant parseTime(String text) {
    try {
      return OffsetDateTime.parse(text, RFC_3339).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time: " + text + " is not an RFC 3339 timestamp", e);
    }
  }

  /** A member set to {@code null} is absent (JSON format 2.2). */
  private static boolean present(JsonNode json, String member) {
    return json.hasNonNull(member);
  }

  private static String requiredString(JsonNode json, String member) {
    String value = optionalString(json, member);
    if (value == null) {
      throw new IllegalArgumentException(member + ": missing");
    }
    return value;
  }

  /** The spec's attributes that may be absent must still be non-empty when present. */
  private static String optionalString(JsonNode json, String member) {
    if (!present(json, member)) {
      return null;
    }
    JsonNode value = json.get(member);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(member + ": must be a string, not " + value.getNodeType());
    }
    if (value.asText().isEmpty()) {
      throw new IllegalArgumentException(member + ": must not be empty");
    }
    return value.asText();
  }
}
