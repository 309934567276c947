package dev.outrigger.controlplane.xds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * A development aid: a fixed set of resources served to every node, from a file in the shape of
 * Envoy's file-based subscriptions (a DiscoveryResponse in YAML or JSON):
 *
 * <pre>
 * resources:
 * - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
 *   name: backend
 *   ...
 * </pre>
 *
 * Each resource is a Listener, RouteConfiguration, Cluster, ClusterLoadAssignment or Secret,
 * parsed by protobuf's JSON parser; typed configs inside name their {@code @type} as in Envoy
 * (any Envoy v3 message). Nothing here checks that the proxy supports what the file says: the
 * proxy NACKs what it does not.
 */
public final class StaticResourcesFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String TYPE_PREFIX = "type.googleapis.com/";

  private StaticResourcesFile() {}

  /** The resources in {@code file}; IllegalArgumentException naming the file and the entry if invalid. */
  public static Resources load(Path file) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file)); // JSON is YAML too
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": " + e.getOriginalMessage());
    }
    JsonNode resources = root == null ? null : root.get("resources");
    if (resources == null || !resources.isArray()) {
      throw new IllegalArgumentException(file + ": expected a list under 'resources'");
    }
    TypeRegistry registry = registryFor(root, file);
    Resources.Builder builder = Resources.builder();
    for (int i = 0; i < resources.size(); i++) {
      String where = file + ": resources[" + i + "]";
      try {
        builder.add(parse(resources.get(i), registry, where));
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    return builder.build();
  }

  private static Resource parse(JsonNode node, TypeRegistry registry, String where)
      throws InvalidProtocolBufferException {
    JsonNode typeUrl = node.get("@type");
    if (typeUrl == null) {
      throw new IllegalArgumentException("no @type");
    }
    ResourceType type = ResourceType.ofTypeUrl(typeUrl.asText()).orElseThrow(() ->
        new IllegalArgumentException(typeUrl.asText() + " is not a Listener, RouteConfiguration, Cluster,"
            + " ClusterLoadAssignment or Secret"));
    Any.Builder any = Any.newBuilder();
    JsonFormat.parser().usingTypeRegistry(registry).merge(node.toString(), any);
    return Resource.of(any.build().unpack(type.messageClass()));
  }

  /** Every {@code @type} the document names, resolved to the generated Envoy (or protobuf) class. */
  private static TypeRegistry registryFor(JsonNode root, Path file) {
    TreeSet<String> typeUrls = new TreeSet<>();
    collectTypes(root, typeUrls);
    TypeRegistry.Builder registry = TypeRegistry.newBuilder();
    for (String typeUrl : typeUrls) {
      registry.add(descriptor(typeUrl, file));
    }
    return registry.build();
  }

  private static void collectTypes(JsonNode node, TreeSet<String> typeUrls) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("@type") && field.getValue().isTextual()) {
          typeUrls.add(field.getValue().asText());
        } else {
          collectTypes(field.getValue(), typeUrls);
        }
      }
    } else if (node.isArray()) {
      node.forEach(element -> collectTypes(element, typeUrls));
    }
  }

  /** Envoy's Java classes are its proto names under {@code io.envoyproxy} (java_multiple_files). */
  private static Descriptor descriptor(String typeUrl, Path file) {
    String name = typeUrl.startsWith(TYPE_PREFIX) ? typeUrl.substring(TYPE_PREFIX.length()) : "";
    String className;
    if (name.startsWith("envoy.")) {
      className = "io.envoyproxy." + name;
    } else if (name.startsWith("google.protobuf.")) {
      className = "com.google.protobuf." + name.substring("google.protobuf.".length());
    } else if (name.startsWith("xds.") || name.startsWith("udpa.")) {
      className = "com.github." + name;
    } else {
      throw new IllegalArgumentException(file + ": unknown @type " + typeUrl);
    }
    try {
      return (Descriptor) Class.forName(className).getMethod("getDescriptor").invoke(null);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException(file + ": unknown @type " + typeUrl);
    }
  }
}
