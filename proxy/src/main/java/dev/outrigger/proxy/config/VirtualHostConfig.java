package dev.outrigger.proxy.config;

import java.util.List;
import java.util.Map;

/**
 * A virtual host. {@code domains} are lower case and keep Envoy's forms: exact ({@code a.com},
 * {@code a.com:8080}), {@code *}, suffix wildcard ({@code *.a.com}, {@code *-bar.a.com}) and prefix
 * wildcard ({@code foo.*}). Envoy's search order applies across virtual hosts: exact, then longest
 * suffix wildcard, then longest prefix wildcard, then {@code *}. As in Envoy by default ({@code
 * ignore_port_in_host_matching: false}) the authority's port takes part: {@code a.com} does not
 * match {@code a.com:8080}; list both forms to accept both.
 *
 * @param perFilterConfig {@code typed_per_filter_config}: HTTP filter name to its override
 */
public record VirtualHostConfig(
    String name,
    List<String> domains,
    List<RouteConfig> routes,
    HeaderMutations headers,
    Map<String, HttpFilterSettings> perFilterConfig) {
  public VirtualHostConfig {
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
    perFilterConfig = Map.copyOf(perFilterConfig);
  }

  public VirtualHostConfig(String name, List<String> domains, List<RouteConfig> routes, HeaderMutations headers) {
    this(name, domains, routes, headers, Map.of());
  }
}
