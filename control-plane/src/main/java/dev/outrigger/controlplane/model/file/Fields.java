package dev.outrigger.controlplane.model.file;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads one YAML object field by field, reporting each problem with its field path and going on,
 * so that one pass finds every error. Each read declares the key known; {@link #done()} reports
 * the keys nobody read as unknown. A missing or invalid value reads as empty/default: callers
 * build a record that is discarded when problems were reported.
 */
final class Fields {
  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final Vocabulary vocabulary;
  private final Set<String> known = new LinkedHashSet<>();

  private Fields(JsonNode node, String path, Problems problems, Vocabulary vocabulary) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.vocabulary = vocabulary;
  }

  /** The object at {@code path}, or null (after reporting) when {@code node} is not an object. */
  static Fields of(JsonNode node, String path, Problems problems, Vocabulary vocabulary) {
    if (!node.isObject()) {
      problems.add(path, "must be an object");
      return null;
    }
    return new Fields(node, path, problems, vocabulary);
  }

  private String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void problem(String key, String message) {
    problems.add(key.isEmpty() ? path : path(key), message);
  }

  boolean has(String key) {
    known.add(key);
    JsonNode value = node.get(key);
    return value != null && !value.isNull();
  }

  Optional<String> string(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode value = node.get(key);
    if (!value.isTextual()) {
      problem(key, "must be a string");
      return Optional.empty();
    }
    return Optional.of(value.textValue());
  }

  String requiredString(String key) {
    Optional<String> value = string(key);
    if (value.isEmpty() && !node.hasNonNull(key)) {
      problem(key, "required");
    }
    return value.orElse("");
  }

  OptionalInt integer(String key, int min, int max) {
    if (!has(key)) {
      return OptionalInt.empty();
    }
    JsonNode value = node.get(key);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      problem(key, "must be an integer");
      return OptionalInt.empty();
    }
    int number = value.intValue();
    if (number < min) {
      problem(key, "must be >= " + min);
    } else if (number > max) {
      problem(key, "must be <= " + max);
    }
    return OptionalInt.of(number);
  }

  int requiredInteger(String key, int min, int max) {
    if (!node.hasNonNull(key)) {
      known.add(key);
      problem(key, "required");
      return min;
    }
    return integer(key, min, max).orElse(min);
  }

  /**
   * An enum written as {@code spelling} names it ({@link #camelCase}: {@code PathPrefix};
   * {@link Enum#name}: {@code ALLOW}).
   */
  <E extends Enum<E>> Optional<E> enumeration(String key, Class<E> type, Function<E, String> spelling) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    for (E constant : type.getEnumConstants()) {
      if (spelling.apply(constant).equals(text.get())) {
        return Optional.of(constant);
      }
    }
    problem(key, "must be one of " + spellings(type, spelling) + ", not \"" + text.get() + "\"");
    return Optional.empty();
  }

  <E extends Enum<E>> E requiredEnumeration(String key, Class<E> type, Function<E, String> spelling) {
    if (!node.hasNonNull(key)) {
      known.add(key);
      problem(key, "required, one of " + spellings(type, spelling));
      return type.getEnumConstants()[0];
    }
    return enumeration(key, type, spelling).orElse(type.getEnumConstants()[0]);
  }

  /** The nested object, or null when absent (nothing reported) or not an object (reported). */
  Fields object(String key) {
    return has(key) ? of(node.get(key), path(key), problems, vocabulary) : null;
  }

  /** The nested object read by {@code reader} (then checked for unknown keys); empty when absent or not an object. */
  <T> Optional<T> object(String key, Function<Fields, T> reader) {
    Fields nested = object(key);
    if (nested == null) {
      return Optional.empty();
    }
    T value = reader.apply(nested);
    nested.done();
    return Optional.ofNullable(value);
  }

  /** Each element read by {@code element}, which gets the element's path; null results are dropped. */
  <T> List<T> list(String key, Function<Fields, T> element) {
    List<T> values = new ArrayList<>();
    if (!has(key)) {
      return values;
    }
    JsonNode array = node.get(key);
    if (!array.isArray()) {
      problem(key, "must be a list");
      return values;
    }
    for (int i = 0; i < array.size(); i++) {
      Fields item = of(array.get(i), path(key) + "[" + i + "]", problems, vocabulary);
      if (item != null) {
        T value = element.apply(item);
        item.done();
        if (value != null) {
          values.add(value);
        }
      }
    }
    return values;
  }

  List<String> strings(String key) {
    return scalars(key, "string", JsonNode::isTextual, JsonNode::textValue);
  }

  List<Integer> integers(String key) {
    return scalars(key, "integer", node -> node.isIntegralNumber() && node.canConvertToInt(),
        JsonNode::intValue);
  }

  private <T> List<T> scalars(String key, String type, Predicate<JsonNode> accepts,
      Function<JsonNode, T> read) {
    List<T> values = new ArrayList<>();
    if (!has(key)) {
      return values;
    }
    JsonNode array = node.get(key);
    if (!array.isArray()) {
      problem(key, "must be a list");
      return values;
    }
    for (int i = 0; i < array.size(); i++) {
      if (accepts.test(array.get(i))) {
        values.add(read.apply(array.get(i)));
      } else {
        problems.add(path(key) + "[" + i + "]", "must be a " + type);
      }
    }
    return values;
  }

  /** A map of strings to strings ({@code labels}). */
  Map<String, String> stringMap(String key) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!has(key)) {
      return values;
    }
    JsonNode map = node.get(key);
    if (!map.isObject()) {
      problem(key, "must be a map of strings");
      return values;
    }
    map.fields().forEachRemaining(entry -> {
      if (entry.getValue().isTextual()) {
        values.put(entry.getKey(), entry.getValue().textValue());
      } else {
        problems.add(path(key) + "." + entry.getKey(), "must be a string");
      }
    });
    return values;
  }

  /** The keys written, for objects whose keys are data (a map of port names). */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** Reports every key no read asked for; call once, after all reads. */
  void done() {
    if (vocabulary != null) {
      vocabulary.record(path, known);
    }
    node.fieldNames().forEachRemaining(key -> {
      if (!known.contains(key)) {
        problems.add(path(key), "unknown field");
      }
    });
  }

  /** Gateway API's spelling of enum values: {@code PATH_PREFIX} is {@code PathPrefix}. */
  static String camelCase(Enum<?> constant) {
    StringBuilder text = new StringBuilder();
    for (String word : constant.name().split("_")) {
      text.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return text.toString();
  }

  private static <E extends Enum<E>> String spellings(Class<E> type, Function<E, String> spelling) {
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(spelling.apply(constant));
    }
    return String.join(", ", names);
  }
}
