package dev.outrigger.controlplane.model.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.outrigger.controlplane.model.Kind;
import dev.outrigger.controlplane.model.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * deploy/schemas and the Java parser agree: on the examples (both accept every document), and
 * structurally (the fields each declares per path are the same, both ways). metadata is left to
 * Kubernetes by the schemas, as CRDs must.
 */
class SchemaTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void thereIsOneSchemaPerKind() throws Exception {
    try (Stream<Path> files = Files.list(CrdSchema.DIR)) {
      assertThat(files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".yaml")))
          .containsExactlyInAnyOrderElementsOf(Stream.of(Kind.values())
              .map(kind -> kind.yamlName().toLowerCase() + ".yaml").toList());
    }
  }

  @Test
  void everyExampleDocumentValidatesAgainstItsSchemaAndTheJavaValidator() throws Exception {
    int documents = 0;
    for (Map.Entry<String, String> file : ConfigFiles.read(MeshExamplesTest.EXAMPLES).entrySet()) {
      assertThat(new ResourceParser().parse(file.getKey(), file.getValue()).problems())
          .as(file.getKey()).isEmpty();
      try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.getValue())) {
        while (docs.hasNextValue()) {
          JsonNode doc = docs.nextValue();
          assertThat(CrdSchema.of(doc.get("kind").asText()).validate(doc))
              .as(file.getKey() + " " + doc.get("metadata")).isEmpty();
          documents++;
        }
      }
    }
    assertThat(documents).isEqualTo(10);
  }

  @Test
  void theSchemaCatchesWhatItShould() throws Exception {
    JsonNode route = YAML.readTree("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        + "metadata: {name: r}\nspec:\n  parentRefs: [{kind: Service, name: cart}]\n"
        + "  rules: [{backendRefs: [{name: a, port: 80, weight: -1, wieght: 1}]}]\n");
    assertThat(CrdSchema.of("HTTPRoute").validate(route)).containsExactly(
        "spec.rules[0].backendRefs[0].weight: below minimum",
        "spec.rules[0].backendRefs[0].wieght: unknown field");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void schemaAndParserKnowTheSameFields(Kind kind) throws Exception {
    CrdSchema schema = CrdSchema.of(kind.yamlName());
    ObjectNode document = (ObjectNode) schema.everyField();
    ObjectNode metadata = document.putObject("metadata").put("name", "a");
    if (kind.namespaced()) {
      metadata.put("namespace", "a");
    }
    Vocabulary vocabulary = new Vocabulary();
    List<Problem> problems = new ResourceParser(vocabulary)
        .parse("every-field.yaml", YAML.writeValueAsString(document)).problems();

    assertThat(problems).as("fields of the schema the parser does not know")
        .filteredOn(problem -> problem.message().equals("unknown field")).isEmpty();
    Map<String, Set<String>> parserFields = new TreeMap<>(vocabulary.fields());
    parserFields.remove("metadata");
    parserFields.keySet().removeIf(path -> path.endsWith(".ports") && kind == Kind.SERVICE); // a map
    assertThat(parserFields).isEqualTo(schema.fields());
  }
}
