package dev.outrigger.proxy.config;

import java.util.List;

/**
 * A virtual host. {@code domains} are lower case and keep Envoy's forms: exact ({@code a.com},
 * {@code a.com:8080}), {@code *}, suffix wildcard ({@code *.a.com}, {@code *-bar.a.com}) and prefix
 * wildcard ({@code foo.*}). Envoy's search order applies across virtual hosts: exact, then longest
 * suffix wildcard, then longest prefix wildcard, then {@code *}; a domain without a port also
 * matches an authority with any port when no domain lists that port.
 */
public record VirtualHostConfig(
    String name, List<String> domains, List<RouteConfig> routes, HeaderMutations headers) {
  public VirtualHostConfig {
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
  }
}
