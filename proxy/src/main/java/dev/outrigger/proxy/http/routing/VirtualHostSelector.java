package dev.outrigger.proxy.http.routing;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * Chooses the virtual host for an authority in Envoy's order: exact domain, then the longest
 * suffix wildcard ({@code *.foo.com}, {@code *-bar.foo.com}), then the longest prefix wildcard
 * ({@code foo.*}), then {@code *}. A wildcard stands for at least one character.
 *
 * <p>The authority is compared as received, ASCII lower-cased, port included: this is Envoy's
 * default ({@code ignore_port_in_host_matching: false}), so {@code foo.com:8080} does not match the
 * domain {@code foo.com} but does match {@code foo.com:8080}, {@code foo.*} or {@code *}. List both
 * forms, as Istio does, to accept either.
 */
final class VirtualHostSelector {
  private final Map<String, VirtualHostRoutes> exact;
  private final WildcardLevel[] suffixes;
  private final WildcardLevel[] prefixes;
  private final VirtualHostRoutes any;

  private VirtualHostSelector(
      Map<String, VirtualHostRoutes> exact,
      Map<Integer, Map<String, VirtualHostRoutes>> suffixes,
      Map<Integer, Map<String, VirtualHostRoutes>> prefixes,
      VirtualHostRoutes any) {
    this.exact = Map.copyOf(exact);
    this.suffixes = WildcardLevel.longestFirst(suffixes);
    this.prefixes = WildcardLevel.longestFirst(prefixes);
    this.any = any;
  }

  /** Returns the virtual host for {@code authority}, or null. */
  VirtualHostRoutes select(String authority) {
    String host = AsciiCase.toLowerCase(authority);
    VirtualHostRoutes found = exact.get(host);
    if (found != null) {
      return found;
    }
    for (WildcardLevel level : suffixes) {
      if (host.length() > level.length) {
        found = level.domains.get(host.substring(host.length() - level.length));
        if (found != null) {
          return found;
        }
      }
    }
    for (WildcardLevel level : prefixes) {
      if (host.length() > level.length) {
        found = level.domains.get(host.substring(0, level.length));
        if (found != null) {
          return found;
        }
      }
    }
    return any;
  }

  /** Collects domains; a domain listed twice is a configuration error, as in Envoy. */
  static final class Builder {
    private final Map<String, VirtualHostRoutes> exact = new HashMap<>();
    private final Map<Integer, Map<String, VirtualHostRoutes>> suffixes = new HashMap<>();
    private final Map<Integer, Map<String, VirtualHostRoutes>> prefixes = new HashMap<>();
    private final Map<String, String> owners = new HashMap<>();
    private VirtualHostRoutes any;

    Builder add(String virtualHostName, String domain, VirtualHostRoutes routes) {
      String normalized = AsciiCase.toLowerCase(domain);
      String owner = owners.putIfAbsent(normalized, virtualHostName);
      if (owner != null) {
        throw new IllegalArgumentException(
            "domain " + domain + " of virtual host " + virtualHostName
                + " is already a domain of virtual host " + owner);
      }
      if (normalized.equals("*")) {
        any = routes;
      } else if (normalized.startsWith("*")) {
        String suffix = normalized.substring(1);
        suffixes.computeIfAbsent(suffix.length(), l -> new HashMap<>()).put(suffix, routes);
      } else if (normalized.endsWith("*")) {
        String prefix = normalized.substring(0, normalized.length() - 1);
        prefixes.computeIfAbsent(prefix.length(), l -> new HashMap<>()).put(prefix, routes);
      } else {
        exact.put(normalized, routes);
      }
      return this;
    }

    VirtualHostSelector build() {
      return new VirtualHostSelector(exact, suffixes, prefixes, any);
    }
  }

  /** The wildcard domains whose fixed part has one length. */
  private static final class WildcardLevel {
    final int length;
    final Map<String, VirtualHostRoutes> domains;

    WildcardLevel(int length, Map<String, VirtualHostRoutes> domains) {
      this.length = length;
      this.domains = domains;
    }

    static WildcardLevel[] longestFirst(Map<Integer, Map<String, VirtualHostRoutes>> byLength) {
      return byLength.entrySet().stream()
          .map(entry -> new WildcardLevel(entry.getKey(), Map.copyOf(entry.getValue())))
          .sorted(Comparator.comparingInt((WildcardLevel level) -> level.length).reversed())
          .toArray(WildcardLevel[]::new);
    }
  }
}
