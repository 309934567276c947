package dev.outrigger.controlplane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.outrigger.controlplane.model.Kind;
import dev.outrigger.controlplane.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resources as written: YAML text split into its documents, a document's identity read from its
 * {@code kind} and {@code metadata}, and a document written back as YAML.
 */
final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

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

}
