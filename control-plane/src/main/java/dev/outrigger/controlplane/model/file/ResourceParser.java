package dev.outrigger.controlplane.model.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.outrigger.controlplane.model.Kind;
import dev.outrigger.controlplane.model.Metadata;
import dev.outrigger.controlplane.model.Problem;
import dev.outrigger.controlplane.model.Resource;
import dev.outrigger.controlplane.model.ResourceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads a YAML file of mesh resources ({@code ---} between documents; empty documents are skipped)
 * and checks each on its own: apiVersion and kind, metadata, and every field of its spec, with
 * unknown fields rejected. References between resources are {@link
 * dev.outrigger.controlplane.model.ModelValidator}'s.
 */
public final class ResourceParser {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Vocabulary vocabulary;

  public ResourceParser() {
    this(null);
  }

  /** A parser that records the fields it knows into {@code vocabulary} (the schema test's). */
  ResourceParser(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
  }

  /** {@code file} names the source in problems (a path relative to the config directory). */
  public ParsedFile parse(String file, String yaml) {
    List<Problem> problems = new ArrayList<>();
    List<Resource> resources = new ArrayList<>();
    int document = 0;
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNextValue()) {
        JsonNode node = documents.nextValue();
        document++;
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        Resource resource = document(node, new Problems(file, "document " + document, problems));
        if (resource != null) {
          resources.add(resource);
        }
      }
    } catch (JsonProcessingException e) {
      problems.add(new Problem(file, "", "", "invalid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
    } catch (IOException e) {
      problems.add(new Problem(file, "", "", "unreadable: " + e.getMessage()));
    }
    return new ParsedFile(file, resources, problems);
  }

  /** The document's resource, or null when it is not even clear which resource it is. */
  private Resource document(JsonNode node, Problems problems) {
    Fields top = Fields.of(node, "", problems, vocabulary);
    if (top == null) {
      return null;
    }
    String apiVersion = top.requiredString("apiVersion");
    Kind kind = top.enumeration("kind", Kind.class, Kind::yamlName).orElse(null);
    if (kind == null && !top.has("kind")) {
      top.problem("kind", "required");
    }
    Fields metadataFields = top.object("metadata");
    Fields spec = top.object("spec");
    if (metadataFields == null && !top.has("metadata")) {
      top.problem("metadata", "required");
    }
    Metadata metadata =
        kind == null || metadataFields == null ? null : metadata(kind, metadataFields, problems);
    if (kind != null && !apiVersion.isEmpty() && !apiVersion.equals(kind.apiVersion())) {
      top.problem("apiVersion", "must be " + kind.apiVersion() + " for kind " + kind
          + ", not \"" + apiVersion + "\"");
    }
    top.done();
    if (metadata == null || metadata.name().isEmpty()) {
      return null;
    }
    if (spec == null) {
      if (!top.has("spec")) {
        top.problem("spec", "required");
      }
      spec = Fields.of(YAML.createObjectNode(), "spec", problems, vocabulary);
    }
    Resource resource = reader(kind).apply(metadata, spec);
    spec.done();
    return resource;
  }

  /** Names the document after its resource first, so that even metadata problems carry the name. */
  private static Metadata metadata(Kind kind, Fields metadata, Problems problems) {
    String name = metadata.requiredString("name");
    boolean namespaceWritten = metadata.has("namespace");
    String namespace = kind.namespaced() ? metadata.string("namespace").orElse("default") : "";
    if (!name.isEmpty()) {
      problems.resource(new ResourceId(kind, namespace, name).toString());
    }
    Syntax.subdomain(metadata, "name", name);
    if (kind.namespaced()) {
      Syntax.label(metadata, "namespace", namespace);
    } else if (namespaceWritten) {
      metadata.problem("namespace", "must not be set: " + kind + " is cluster-scoped");
    }
    Metadata value = new Metadata(name, namespace, metadata.stringMap("labels"));
    metadata.done();
    return value;
  }

  private static BiFunction<Metadata, Fields, Resource> reader(Kind kind) {
    switch (kind) {
      case MESH_CONFIG:
        return MeshConfigReader::read;
      case SERVICE:
        return ServiceReader::read;
      case HTTP_ROUTE:
        return HttpRouteReader::read;
      case GRPC_ROUTE:
        return GrpcRouteReader::read;
      default:
        return AuthorizationPolicyReader::read;
    }
  }
}
