package dev.outrigger.controlplane.model.file;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The field names the parser knows, per field path with list indexes as {@code []}
 * ({@code spec.rules[].matches[]}): recorded while parsing so that a test can compare the parser
 * with the JSON Schemas in deploy/schemas, both ways.
 */
final class Vocabulary {
  private final Map<String, Set<String>> fields = new TreeMap<>();

  void record(String path, Set<String> known) {
    fields.computeIfAbsent(path.replaceAll("\\[\\d+]", "[]"), key -> new TreeSet<>()).addAll(known);
  }

  Map<String, Set<String>> fields() {
    return fields;
  }
}
