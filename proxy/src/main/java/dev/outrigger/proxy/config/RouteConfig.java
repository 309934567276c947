package dev.outrigger.proxy.config;

import java.util.Map;

/**
 * One route: when it matches, and what to do.
 *
 * @param perFilterConfig {@code typed_per_filter_config}: HTTP filter name to its override
 */
public record RouteConfig(
    String name,
    RouteMatchConfig match,
    RouteAction action,
    HeaderMutations headers,
    Map<String, HttpFilterSettings> perFilterConfig) {
  public RouteConfig {
    perFilterConfig = Map.copyOf(perFilterConfig);
  }

  public RouteConfig(String name, RouteMatchConfig match, RouteAction action, HeaderMutations headers) {
    this(name, match, action, headers, Map.of());
  }
}
