package dev.outrigger.proxy.bootstrap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.outrigger.proxy.config.ProxyConfig;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads an Envoy v3 bootstrap file (YAML or JSON, by extension) into a validated {@link
 * ProxyConfig}. Four stages, each reporting every problem it finds by field path: the document's
 * shape against the protos, the supported subset, then meaning (references, ranges, files) while
 * translating into the config records. Later stages run on what earlier ones accepted, so one run
 * reports everything.
 */
public final class BootstrapLoader {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private BootstrapLoader() {}

  public static ProxyConfig load(Path file) throws ConfigException {
    Problems problems = new Problems();
    JsonNode tree = read(file, problems);
    problems.throwIfAny();
    return fromTree(tree, problems);
  }

  /** Parses {@code text} as YAML (JSON is YAML too); for tests and tools without a file. */
  static ProxyConfig loadYaml(String text) throws ConfigException {
    Problems problems = new Problems();
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(java.util.List.of(new ConfigError("", syntaxError(e))));
    }
    if (tree == null || tree.isMissingNode()) {
      throw new ConfigException(java.util.List.of(new ConfigError("", "the bootstrap is empty")));
    }
    return fromTree(tree, problems);
  }

  /** Validates and translates an already parsed bootstrap, e.g. one built in code. */
  public static ProxyConfig translate(Bootstrap bootstrap) throws ConfigException {
    return fromProto(bootstrap, new Problems());
  }

  private static JsonNode read(Path file, Problems problems) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper;
    if (name.endsWith(".json")) {
      mapper = JSON;
    } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      mapper = YAML;
    } else {
      problems.add(FieldPath.ROOT, file + ": unknown file type (expected .yaml, .yml or .json)");
      return null;
    }
    try {
      JsonNode tree = mapper.readTree(file.toFile());
      if (tree == null || tree.isMissingNode()) {
        problems.add(FieldPath.ROOT, file + ": the bootstrap is empty");
      }
      return tree;
    } catch (JsonProcessingException e) {
      problems.add(FieldPath.ROOT, file + ": " + syntaxError(e));
    } catch (NoSuchFileException e) {
      problems.add(FieldPath.ROOT, file + ": no such file");
    } catch (IOException e) {
      problems.add(FieldPath.ROOT, file + ": cannot read: " + e.getMessage());
    }
    return null;
  }

  private static String syntaxError(JsonProcessingException e) {
    String where = e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    return "syntax error" + where + ": " + e.getOriginalMessage();
  }

  private static ProxyConfig fromTree(JsonNode tree, Problems problems) throws ConfigException {
    Subset subset = Subset.ISSUE_2;
    JsonNode checked = new JsonShapeCheck(subset, problems).check(tree, Bootstrap.getDescriptor(), FieldPath.ROOT);
    if (checked == null) {
      problems.throwIfAny();
    }
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    try {
      JsonFormat.parser().usingTypeRegistry(subset.typeRegistry()).merge(checked.toString(), bootstrap);
    } catch (InvalidProtocolBufferException e) {
      // The shape check should have caught it; say so rather than hide the parser's view.
      problems.add(FieldPath.ROOT, "cannot parse: " + e.getMessage());
      problems.throwIfAny();
    }
    problems.nextStage();
    return fromProto(bootstrap.build(), problems);
  }

  private static ProxyConfig fromProto(Bootstrap bootstrap, Problems problems) throws ConfigException {
    Bootstrap supported = new SubsetCheck(Subset.ISSUE_2, problems).prune(bootstrap, FieldPath.ROOT);
    problems.nextStage();
    ProxyConfig config = new BootstrapTranslator(new Translation(problems)).translate(supported);
    problems.throwIfAny();
    return config;
  }
}
