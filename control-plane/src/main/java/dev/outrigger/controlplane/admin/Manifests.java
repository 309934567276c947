package dev.outrigger.controlplane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.outrigger.controlplane.model.Kind;
import dev.outrigger.controlplane.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resources as written: YAML text split into its documents, a document's identity read from its
 * {@code kind} and {@code metadata}, and the conversions between documents (Jackson trees) and
 * the protobuf {@link Struct}s the admin API carries them in.
 */
final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final ObjectMapper JSON = new ObjectMapper();

  private Manifests() {}

  /** The non-empty documents of YAML (or JSON) {@code text}; the caller has parsed it successfully before. */
  static List<JsonNode> documents(String text) throws JsonProcessingException {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> each = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (each.hasNextValue()) {
        JsonNode node = each.nextValue();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(node);
        }
      }
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String
    }
    return documents;
  }

  /** The resource a document names by its kind and metadata, when it names one at all. */
  static Optional<ResourceId> idOf(JsonNode document) {
    Optional<Kind> kind = ResourceKinds.kind(document.path("kind").asText());
    String name = document.path("metadata").path("name").asText();
    if (kind.isEmpty() || name.isEmpty()) {
      return Optional.empty();
    }
    String namespace = document.path("metadata").path("namespace").asText();
    return Optional.of(ResourceKinds.id(kind.get(), namespace, name));
  }

  /** The document of {@code id} in a file's {@code content}, if it is there. */
  static Optional<JsonNode> find(String content, ResourceId id) {
    try {
      return documents(content).stream().filter(d -> idOf(d).equals(Optional.of(id))).findFirst();
    } catch (JsonProcessingException e) {
      return Optional.empty(); // an accepted file parsed before; only a race with an edit lands here
    }
  }

  static String yaml(JsonNode document) {
    try {
      return YAML.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed tree always serializes", e);
    }
  }

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
  static ObjectNode tree(Struct struct) {
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      object.set(field.getKey(), tree(field.getValue()));
    }
    return object;
  }

  static JsonNode tree(Value value) {
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
