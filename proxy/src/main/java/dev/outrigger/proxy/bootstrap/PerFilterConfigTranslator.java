package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Any;
import dev.outrigger.proxy.config.HttpFilterSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code typed_per_filter_config} on the virtual hosts, routes and weighted clusters of one
 * connection manager: each key must name one of its HTTP filters (stricter than Envoy, which
 * ignores overrides for filters it does not run), and the override must be that filter's
 * per-route type.
 */
final class PerFilterConfigTranslator {
  private final Translation translation;
  private final HttpFilterRegistry registry;
  /** Filter name to the type URL of its {@code typed_config}. */
  private final Map<String, String> filterTypes;

  PerFilterConfigTranslator(Translation translation, HttpFilterRegistry registry, Map<String, String> filterTypes) {
    this.translation = translation;
    this.registry = registry;
    this.filterTypes = Map.copyOf(filterTypes);
  }

  /** @param path the {@code typed_per_filter_config} field */
  Map<String, HttpFilterSettings> translate(Map<String, Any> overrides, FieldPath path) {
    Map<String, HttpFilterSettings> result = new HashMap<>();
    // Sorted, so that problems come in the same order every run.
    new TreeMap<>(overrides).forEach((name, override) -> {
      FieldPath entryPath = path.key(name);
      String filterType = filterTypes.get(name);
      if (filterType == null) {
        translation.error(entryPath, "no HTTP filter named " + Translation.quote(name) + " in http_filters");
        return;
      }
      registry.perRoute(filterType, name, override, entryPath, translation).ifPresent(s -> result.put(name, s));
    });
    return result;
  }
}
