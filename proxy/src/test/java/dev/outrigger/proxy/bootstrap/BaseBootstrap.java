package dev.outrigger.proxy.bootstrap;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * base.yaml, edited: each edit sets the value at a JSON pointer to a YAML snippet (an index one past
 * the end of a list appends), so an error case is one line naming only what it changes.
 */
final class BaseBootstrap {
  static final String HCM = "/static_resources/listeners/0/filter_chains/0/filters/0/typed_config";
  static final String ROUTE = HCM + "/route_config/virtual_hosts/0/routes/0";
  static final String TCP = "/static_resources/listeners/1/filter_chains/0/filters/0/typed_config";
  static final String CLUSTER = "/static_resources/clusters/0";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final ObjectNode tree;

  private BaseBootstrap(ObjectNode tree) {
    this.tree = tree;
  }

  static BaseBootstrap load() {
    try (InputStream in = BaseBootstrap.class.getResourceAsStream("base.yaml")) {
      return new BaseBootstrap((ObjectNode) YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets {@code pointer} to the YAML {@code value}. */
  BaseBootstrap set(String pointer, String value) {
    JsonPointer path = JsonPointer.compile(pointer);
    JsonNode parent = tree.at(path.head());
    String last = path.last().getMatchingProperty();
    JsonNode parsed = yaml(value);
    if (parent instanceof ArrayNode list) {
      int index = Integer.parseInt(last);
      if (index == list.size()) {
        list.add(parsed);
      } else {
        list.set(index, parsed);
      }
    } else if (parent instanceof ObjectNode object) {
      object.set(last, parsed);
    } else {
      throw new IllegalArgumentException("no object or list at " + path.head());
    }
    return this;
  }

  BaseBootstrap remove(String pointer) {
    JsonPointer path = JsonPointer.compile(pointer);
    JsonNode parent = tree.at(path.head());
    if (parent instanceof ArrayNode list) {
      list.remove(Integer.parseInt(path.last().getMatchingProperty()));
    } else {
      ((ObjectNode) parent).remove(path.last().getMatchingProperty());
    }
    return this;
  }

  /** The document as JSON text, which the YAML loader reads too. */
  String text() {
    return tree.toString();
  }

  private static JsonNode yaml(String value) {
    try {
      return YAML.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
