package dev.outrigger.proxy.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A virtual host. {@code domains} are lower case and keep Envoy's forms: exact ({@code a.com},
 * {@code a.com:8080}), {@code *}, suffix wildcard ({@code *.a.com}, {@code *-bar.a.com}) and prefix
 * wildcard ({@code foo.*}). Envoy's search order applies across virtual hosts: exact, then longest
 * suffix wildcard, then longest prefix wildcard, then {@code *}. As in Envoy by default ({@code
 * ignore_port_in_host_matching: false}) the authority's port takes part: {@code a.com} does not
 * match {@code a.com:8080}; list both forms to accept both.
 *
 * @param retryPolicy applies to routes without their own
 * @param perRequestBufferLimitBytes request body kept for retries, for routes without their own
 *     limit; empty: 64 KiB (Linkerd's bound; Envoy's default differs)
 * @param includeRequestAttemptCount send {@code x-envoy-attempt-count} upstream
 * @param includeAttemptCountInResponse send {@code x-envoy-attempt-count} downstream
 * @param perFilterConfig {@code typed_per_filter_config}: HTTP filter name to its override
 */
public record VirtualHostConfig(
    String name,
    List<String> domains,
    List<RouteConfig> routes,
    HeaderMutations headers,
    Optional<RetryPolicy> retryPolicy,
    Optional<Integer> perRequestBufferLimitBytes,
    boolean includeRequestAttemptCount,
    boolean includeAttemptCountInResponse,
    Map<String, HttpFilterSettings> perFilterConfig) {
  public VirtualHostConfig {
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
    perFilterConfig = Map.copyOf(perFilterConfig);
  }

  /** A virtual host without retry settings or filter overrides of its own. */
  public VirtualHostConfig(String name, List<String> domains, List<RouteConfig> routes, HeaderMutations headers) {
    this(name, domains, routes, headers, Optional.empty(), Optional.empty(), false, false, Map.of());
  }
}
