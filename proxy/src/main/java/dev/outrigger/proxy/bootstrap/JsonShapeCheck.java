package dev.outrigger.proxy.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a JSON tree against the proto descriptors before protobuf's JSON parser sees it, because
 * that parser stops at the first problem and does not say where it is. Reports every unknown
 * field, value of the wrong type, field set twice and oneof set twice, by path; accepts both
 * snake_case and lowerCamel names as the parser does. Returns a copy without the rejected parts,
 * which the parser then reads without error.
 */
final class JsonShapeCheck {
  private static final Pattern DURATION = Pattern.compile("-?\\d+(\\.\\d{1,9})?s");
  private static final BigInteger UINT32_MAX = BigInteger.valueOf(0xFFFF_FFFFL);
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Subset subset;
  private final Problems problems;

  JsonShapeCheck(Subset subset, Problems problems) {
    this.subset = subset;
    this.problems = problems;
  }

  /** The checked copy of {@code node} as a {@code type}, or null when nothing of it is usable. */
  JsonNode check(JsonNode node, Descriptor type, FieldPath path) {
    return message(node, type, path, null, "");
  }

  private JsonNode message(
      JsonNode node, Descriptor type, FieldPath path, Subset.ExtensionSlot slot, String name) {
    if (Subset.isTypedConfig(type)) {
      return any(node, path, slot, name);
    }
    if (Subset.isValueType(type)) {
      return wellKnown(node, type, path);
    }
    if (!node.isObject()) {
      return mismatch(path, "an object", node);
    }
    ObjectNode out = NODES.objectNode();
    Map<FieldDescriptor, String> seen = new HashMap<>();
    Map<OneofDescriptor, FieldDescriptor> oneofs = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      FieldDescriptor field = findField(type, entry.getKey());
      if (field == null) {
        problems.add(path.field(entry.getKey()), "unknown field");
        continue;
      }
      FieldPath fieldPath = path.field(field.getName());
      String earlier = seen.putIfAbsent(field, entry.getKey());
      if (earlier != null) {
        problems.add(fieldPath, "set twice (as " + earlier + " and " + entry.getKey() + ")");
        continue;
      }
      if (entry.getValue().isNull()) {
        continue;
      }
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null && oneofs.containsKey(oneof)) {
        problems.add(fieldPath, "only one of " + oneof.getFields().stream()
            .map(FieldDescriptor::getName).collect(Collectors.joining(", "))
            + " may be set; " + oneofs.get(oneof).getName() + " is set already");
        continue;
      }
      Subset.ExtensionSlot inner = subset.slot(field) != null ? subset.slot(field) : slot;
      JsonNode value = field(entry.getValue(), field, fieldPath, inner, extensionName(node));
      if (value != null) {
        out.set(field.getName(), value);
        if (oneof != null) {
          oneofs.put(oneof, field);
        }
      }
    }
    return out;
  }

  private JsonNode field(
      JsonNode node, FieldDescriptor field, FieldPath path, Subset.ExtensionSlot slot, String name) {
    if (field.isMapField()) {
      if (!node.isObject()) {
        return mismatch(path, "an object", node);
      }
      FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
      ObjectNode out = NODES.objectNode();
      node.properties().forEach(entry -> {
        JsonNode value = single(entry.getValue(), valueField, path.key(entry.getKey()), slot,
            entry.getKey());
        if (value != null) {
          out.set(entry.getKey(), value);
        }
      });
      return out;
    }
    if (field.isRepeated()) {
      if (!node.isArray()) {
        return mismatch(path, "a list", node);
      }
      ArrayNode out = NODES.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        JsonNode value = single(node.get(i), field, path.index(i), slot, name);
        if (value != null) {
          out.add(value);
        }
      }
      return out;
    }
    return single(node, field, path, slot, name);
  }

  private JsonNode single(
      JsonNode node, FieldDescriptor field, FieldPath path, Subset.ExtensionSlot slot, String name) {
    switch (field.getJavaType()) {
      case MESSAGE:
        return message(node, field.getMessageType(), path, slot, name);
      case ENUM:
        return enumValue(node, field.getEnumType(), path);
      case STRING:
        return node.isTextual() ? node : mismatch(path, "a string", node);
      case BOOLEAN:
        return node.isBoolean() ? node : mismatch(path, "true or false", node);
      case BYTE_STRING:
        return bytes(node, path);
      case INT:
      case LONG:
        return integer(node, path, field.getType());
      case FLOAT:
      case DOUBLE:
        return node.isNumber() ? node : mismatch(path, "a number", node);
      default:
        throw new IllegalStateException("unexpected field type " + field.getJavaType());
    }
  }

  private JsonNode any(JsonNode node, FieldPath path, Subset.ExtensionSlot slot, String name) {
    if (!node.isObject()) {
      return mismatch(path, "an object with @type", node);
    }
    JsonNode typeUrl = node.get("@type");
    if (typeUrl == null || !typeUrl.isTextual()) {
      problems.add(path, "@type is required (the type URL of the config)");
      return null;
    }
    Descriptor type = subset.extensionType(typeUrl.asText());
    if (type == null) {
      // Outside every slot an unknown type is only pruned: the subset check rejects the field
      // that holds it, and one message per mistake is enough.
      if (slot != null) {
        problems.add(path, slot.unsupported(name, typeUrl.asText()));
      }
      return null;
    }
    // Every extension type is an Envoy message, so the config's fields sit beside @type.
    ObjectNode body = ((ObjectNode) node).deepCopy();
    body.remove("@type");
    ObjectNode out = NODES.objectNode();
    out.set("@type", typeUrl);
    out.setAll((ObjectNode) message(body, type, path, null, ""));
    return out;
  }

  /** Durations, wrappers and Struct have their own JSON forms. */
  private JsonNode wellKnown(JsonNode node, Descriptor type, FieldPath path) {
    if (node == null) {
      return null;
    }
    switch (type.getName()) {
      case "Duration":
        if (node.isTextual() && DURATION.matcher(node.asText()).matches()) {
          return node;
        }
        return mismatch(path, "a duration in seconds like \"5s\" or \"0.250s\"", node);
      case "Struct":
        return node.isObject() ? node : mismatch(path, "an object", node);
      case "ListValue":
        return node.isArray() ? node : mismatch(path, "a list", node);
      case "Value":
        return node;
      case "Empty":
        return node.isObject() && node.isEmpty() ? node : mismatch(path, "{}", node);
      default:
        FieldDescriptor wrapped = type.findFieldByName("value");
        if (wrapped == null) {
          problems.add(path, type.getFullName() + " is not supported here");
          return null;
        }
        return single(node, wrapped, path, null, "");
    }
  }

  private JsonNode enumValue(JsonNode node, EnumDescriptor type, FieldPath path) {
    if (node.isTextual() && type.findValueByName(node.asText()) != null) {
      return node;
    }
    if (node.isIntegralNumber() && type.findValueByNumber(node.asInt()) != null) {
      return node;
    }
    String names = type.getValues().stream().map(v -> v.getName()).collect(Collectors.joining(", "));
    problems.add(path, "invalid value " + describe(node) + " (expected one of " + names + ")");
    return null;
  }

  private JsonNode bytes(JsonNode node, FieldPath path) {
    if (node.isTextual()) {
      try {
        Base64.getMimeDecoder().decode(node.asText().replace('-', '+').replace('_', '/'));
        return node;
      } catch (IllegalArgumentException e) {
        problems.add(path, "invalid base64: " + e.getMessage());
        return null;
      }
    }
    return mismatch(path, "a base64 string", node);
  }

  private JsonNode integer(JsonNode node, FieldPath path, FieldDescriptor.Type type) {
    BigInteger min;
    BigInteger max;
    switch (type) {
      case UINT32:
      case FIXED32:
        min = BigInteger.ZERO;
        max = UINT32_MAX;
        break;
      case UINT64:
      case FIXED64:
        min = BigInteger.ZERO;
        max = UINT64_MAX;
        break;
      case INT64:
      case SINT64:
      case SFIXED64:
        min = BigInteger.valueOf(Long.MIN_VALUE);
        max = BigInteger.valueOf(Long.MAX_VALUE);
        break;
      default:
        min = BigInteger.valueOf(Integer.MIN_VALUE);
        max = BigInteger.valueOf(Integer.MAX_VALUE);
    }
    BigInteger value;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isTextual() && node.asText().matches("-?\\d+")) {
      value = new BigInteger(node.asText());
    } else {
      return mismatch(path, "an integer", node);
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add(path, "value " + value + " out of range [" + min + ", " + max + "]");
      return null;
    }
    return node;
  }

  private JsonNode mismatch(FieldPath path, String expected, JsonNode actual) {
    problems.add(path, "expected " + expected + ", got " + describe(actual));
    return null;
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "\"" + node.asText() + "\"";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.toString();
  }

  private static FieldDescriptor findField(Descriptor type, String name) {
    FieldDescriptor field = type.findFieldByName(name);
    if (field != null) {
      return field;
    }
    for (FieldDescriptor candidate : type.getFields()) {
      if (candidate.getJsonName().equals(name)) {
        return candidate;
      }
    }
    return null;
  }

  private static String extensionName(JsonNode holder) {
    JsonNode name = holder.get("name");
    return name != null && name.isTextual() ? name.asText() : "";
  }
}
