package dev.outrigger.proxy.bootstrap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.outrigger.proxy.config.ProxyConfig;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads an Envoy v3 bootstrap (YAML or JSON, by file extension) into a validated {@link
 * ProxyConfig}, in stages that each report every problem they find by field path:
 *
 * <ol>
 *   <li>{@link JsonShapeCheck}: the document against the proto descriptors (unknown fields, wrong
 *       value types), then protobuf's JSON parser;
 *   <li>{@link SubsetCheck}: the proto against the {@link Subset} Outrigger implements;
 *   <li>{@link BootstrapTranslator}: meaning (references, ranges, regexes, files) while building
 *       the config records, with Envoy's defaults for absent fields.
 * </ol>
 *
 * Each stage drops what it rejects and hands the rest on, so one run reports everything.
 */
public final class BootstrapLoader {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private BootstrapLoader() {}

  /** Reads, checks and translates the bootstrap in {@code file}; its static part only. */
  public static ProxyConfig load(Path file) throws ConfigException {
    return loadBootstrap(file).staticConfig();
  }

  /** Checks and translates a bootstrap given as YAML text (JSON is YAML too); its static part only. */
  public static ProxyConfig loadYaml(String text) throws ConfigException {
    return loadBootstrapYaml(text).staticConfig();
  }

  /** Checks and translates a bootstrap already parsed, e.g. built in code; its static part only. */
  public static ProxyConfig translate(Bootstrap bootstrap) throws ConfigException {
    return translate(bootstrap, new Problems()).staticConfig();
  }

  /** Reads, checks and translates the bootstrap in {@code file}, {@code dynamic_resources} included. */
  public static LoadedBootstrap loadBootstrap(Path file) throws ConfigException {
    String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    ObjectMapper mapper;
    if (name.endsWith(".json")) {
      mapper = JSON;
    } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      mapper = YAML;
    } else {
      throw documentError(file + ": unknown file type (expected .yaml, .yml or .json)");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw documentError(file + ": no such file");
    } catch (IOException e) {
      throw documentError(file + ": cannot read: " + e.getMessage());
    }
    return parse(text, mapper, file + ": ");
  }

  /** {@link #loadBootstrap} for YAML text. */
  public static LoadedBootstrap loadBootstrapYaml(String text) throws ConfigException {
    return parse(text, YAML, "");
  }

  private static LoadedBootstrap parse(String text, ObjectMapper mapper, String source) throws ConfigException {
    JsonNode tree;
    try {
      if (mapper == YAML) {
        rejectAliases(text, source);
      }
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw documentError(source + syntaxError(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw documentError(source + "the bootstrap is empty");
    }
    Problems problems = new Problems();
    Subset subset = Subset.SUPPORTED;
    JsonNode checked = new JsonShapeCheck(subset, problems).check(tree, Bootstrap.getDescriptor(), FieldPath.ROOT);
    if (checked == null) {
      problems.throwIfAny();
    }
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    try {
      JsonFormat.parser().usingTypeRegistry(subset.typeRegistry()).merge(checked.toString(), bootstrap);
    } catch (InvalidProtocolBufferException e) {
      // The shape check should have caught it; report the parser's view rather than nothing.
      problems.add(FieldPath.ROOT, "cannot parse: " + e.getMessage());
      problems.throwIfAny();
    }
    problems.nextStage();
    return translate(bootstrap.build(), problems);
  }

  private static LoadedBootstrap translate(Bootstrap bootstrap, Problems problems) throws ConfigException {
    Bootstrap supported = new SubsetCheck(Subset.SUPPORTED, problems).prune(bootstrap, FieldPath.ROOT);
    problems.nextStage();
    Translation translation = new Translation(problems);
    ProxyConfig config = new BootstrapTranslator(translation).translate(supported);
    Optional<AdsSource> ads = supported.hasDynamicResources()
        ? new DynamicResourcesTranslator(translation).translate(supported, config)
        : Optional.empty();
    problems.throwIfAny();
    return new LoadedBootstrap(config, supported, ads);
  }

  /**
   * Jackson's tree reads a YAML alias ({@code *name}) as the string "name", which would silently
   * change the config; Envoy's loader expands them. Until we do too, they are errors.
   */
  private static void rejectAliases(String text, String source) throws IOException, ConfigException {
    try (YAMLParser parser = (YAMLParser) YAML.createParser(text)) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          throw documentError(source + "YAML alias *" + parser.getText() + " at line "
              + parser.currentLocation().getLineNr() + " is not supported; write the value out");
        }
      }
    }
  }

  private static String syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      // SnakeYAML's own message spans lines with source excerpts; keep one line per problem.
      Mark mark = yaml.getProblemMark();
      return "syntax error at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)
          + ": " + yaml.getProblem() + (yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")");
    }
    String where = e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    return "syntax error" + where + ": " + e.getOriginalMessage();
  }

  private static ConfigException documentError(String message) {
    return new ConfigException(List.of(new ConfigError("", message)));
  }
}
