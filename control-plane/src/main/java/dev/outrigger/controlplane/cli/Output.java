package dev.outrigger.controlplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;

/** {@code -o json|yaml|wide} of the ctl commands that show things, and the two machine formats. */
enum Output {
  TABLE, WIDE, JSON, YAML;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML_MAPPER = new ObjectMapper(new YAMLFactory()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  /** picocli's converter: the names as users type them. */
  static Output parse(String name) {
    switch (name) {
      case "json":
        return JSON;
      case "yaml":
        return YAML;
      case "wide":
        return WIDE;
      default:
        throw new IllegalArgumentException("-o " + name + ": expected json, yaml or wide");
    }
  }

  /** The admin API's answer as its JSON (the HTTP API's own format). */
  static void json(PrintWriter out, MessageOrBuilder message) {
    try {
      out.println(JsonFormat.printer().print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("every message prints", e);
    }
  }

  /** A tree as one YAML document, with its leading {@code ---}. */
  static void yaml(PrintWriter out, JsonNode tree) {
    try {
      out.print(YAML_MAPPER.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serializes", e);
    }
  }

  /** The admin API's answer as YAML: its JSON, re-written. */
  static void yaml(PrintWriter out, MessageOrBuilder message) {
    try {
      yaml(out, MAPPER.readTree(JsonFormat.printer().print(message)));
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException("every message prints as JSON", e);
    }
  }
}
