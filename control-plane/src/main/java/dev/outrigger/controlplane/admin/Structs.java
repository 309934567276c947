package dev.outrigger.controlplane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.Map;

/**
 * Resources travel in the admin API as protobuf {@link Struct}s; the server and ctl read and
 * write them as Jackson trees. These convert between the two without losing integers.
 */
public final class Structs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Structs() {}

  static Struct struct(JsonNode object) {
    Struct.Builder struct = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(JSON.writeValueAsString(object), struct);
    } catch (JsonProcessingException | InvalidProtocolBufferException e) {
      throw new IllegalStateException("a JSON object is always a Struct", e);
    }
    return struct.build();
  }

  /**
   * The tree of {@code struct}. Struct numbers are doubles; whole ones become integers again, so
   * that {@code port: 8080} stays an integer for the resource parser.
   */
  public static ObjectNode tree(Struct struct) {
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      object.set(field.getKey(), tree(field.getValue()));
    }
    return object;
  }

  public static JsonNode tree(Value value) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (value.getKindCase()) {
      case STRUCT_VALUE:
        return tree(value.getStructValue());
      case LIST_VALUE:
        return list(value.getListValue());
      case STRING_VALUE:
        return nodes.textNode(value.getStringValue());
      case BOOL_VALUE:
        return nodes.booleanNode(value.getBoolValue());
      case NUMBER_VALUE:
        double number = value.getNumberValue();
        return number == Math.rint(number) && Math.abs(number) < 1e15
            ? nodes.numberNode((long) number) : nodes.numberNode(number);
      default:
        return nodes.nullNode();
    }
  }

  private static ArrayNode list(ListValue list) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    list.getValuesList().forEach(value -> array.add(tree(value)));
    return array;
  }
}
