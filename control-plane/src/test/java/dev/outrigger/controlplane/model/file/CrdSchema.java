package dev.outrigger.controlplane.model.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A schema of deploy/schemas in the structural OpenAPI v3 subset Kubernetes CRDs use (type,
 * properties, required, enum, items, additionalProperties, minimum/maximum, minItems,
 * maxLength, pattern), with the three things the tests need: validating a document (strictly:
 * unknown properties are errors, as {@code kubectl --validate=strict} reports them), the field
 * names it declares per path, and a document using every field. No JSON Schema library is in the
 * build, so this checks that subset itself.
 */
final class CrdSchema {
  static final Path DIR = Path.of("..", "deploy", "schemas");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode root;

  private CrdSchema(JsonNode root) {
    this.root = root;
  }

  static CrdSchema of(String kind) throws IOException {
    return new CrdSchema(YAML.readTree(DIR.resolve(kind.toLowerCase() + ".yaml").toFile()));
  }

  List<String> validate(JsonNode document) {
    List<String> errors = new ArrayList<>();
    validate(root, document, "", errors);
    return errors;
  }

  private static void validate(JsonNode schema, JsonNode value, String path, List<String> errors) {
    String type = schema.path("type").asText();
    boolean typeOk = switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "boolean" -> value.isBoolean();
      default -> false;
    };
    if (!typeOk) {
      errors.add(path + ": must be " + type);
      return;
    }
    if (schema.has("enum") && !contains(schema.get("enum"), value)) {
      errors.add(path + ": not in enum");
    }
    if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
      errors.add(path + ": does not match " + schema.get("pattern").asText());
    }
    if (schema.has("maxLength") && value.asText().length() > schema.get("maxLength").asInt()) {
      errors.add(path + ": too long");
    }
    if (schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()) {
      errors.add(path + ": below minimum");
    }
    if (schema.has("maximum") && value.asLong() > schema.get("maximum").asLong()) {
      errors.add(path + ": above maximum");
    }
    if (type.equals("array")) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
        errors.add(path + ": too few items");
      }
      for (int i = 0; i < value.size(); i++) {
        validate(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
    if (type.equals("object")) {
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asText())) {
          errors.add(join(path, required.asText()) + ": required");
        }
      }
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode fieldSchema = schema.has("properties") ? schema.get("properties").get(field.getKey())
            : schema.get("additionalProperties");
        if (fieldSchema != null) {
          validate(fieldSchema, field.getValue(), join(path, field.getKey()), errors);
        } else if (schema.has("properties") || schema.has("additionalProperties")) {
          errors.add(join(path, field.getKey()) + ": unknown field");
        }
      }
    }
  }

  /** Field names per path ({@code spec.rules[].matches[]}) of every object with declared properties. */
  Map<String, Set<String>> fields() {
    Map<String, Set<String>> fields = new TreeMap<>();
    collect(root, "", fields);
    return fields;
  }

  private static void collect(JsonNode schema, String path, Map<String, Set<String>> fields) {
    if (schema.has("items")) {
      collect(schema.get("items"), path + "[]", fields);
    }
    if (schema.has("properties")) {
      Set<String> names = new TreeSet<>();
      schema.get("properties").fieldNames().forEachRemaining(names::add);
      fields.put(path, names);
      names.forEach(name -> collect(schema.get("properties").get(name), join(path, name), fields));
    }
  }

  /**
   * A document with every declared field: the first enum value or a minimal value of the type; in
   * a list of objects with a {@code type} enum (Gateway API's unions), one element per type.
   */
  JsonNode everyField() {
    return sample(root);
  }

  private static JsonNode sample(JsonNode schema) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (schema.has("enum")) {
      return schema.get("enum").get(0);
    }
    switch (schema.path("type").asText()) {
      case "object": {
        ObjectNode object = nodes.objectNode();
        schema.path("properties").fields()
            .forEachRemaining(field -> object.set(field.getKey(), sample(field.getValue())));
        if (schema.has("additionalProperties")) {
          object.set("a", sample(schema.get("additionalProperties")));
        }
        return object;
      }
      case "array": {
        ArrayNode array = nodes.arrayNode();
        JsonNode items = schema.get("items");
        JsonNode types = items.path("properties").path("type").path("enum");
        if (types.size() > 1) {
          for (JsonNode type : types) {
            ((ObjectNode) array.addObject().setAll((ObjectNode) sample(items))).set("type", type);
          }
        } else {
          array.add(sample(items));
        }
        return array;
      }
      case "integer":
        return nodes.numberNode(schema.path("minimum").asInt(1));
      case "boolean":
        return nodes.booleanNode(true);
      default:
        return nodes.textNode("a");
    }
  }

  private static boolean contains(JsonNode values, JsonNode value) {
    for (JsonNode candidate : values) {
      if (candidate.equals(value) || candidate.asText().equals(value.asText()) && candidate.isTextual() == value.isTextual()) {
        return true;
      }
    }
    return false;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
