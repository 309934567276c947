package dev.outrigger.proxy.config;

import java.util.List;

/**
 * A route's match. All parts must hold.
 *
 * @param path how the path (without query) is matched
 * @param caseSensitive applies to {@code prefix}, {@code path} and {@code path_separated_prefix}
 * @param grpc match only requests with {@code content-type: application/grpc*}
 */
public record RouteMatchConfig(
    PathMatch path,
    boolean caseSensitive,
    List<HeaderMatcher> headers,
    List<QueryParameterMatcher> queryParameters,
    boolean grpc) {

  public RouteMatchConfig {
    headers = List.copyOf(headers);
    queryParameters = List.copyOf(queryParameters);
  }

  /** The path specifier: exactly one of Envoy's. */
  public sealed interface PathMatch {
    /** {@code prefix}. */
    record Prefix(String prefix) implements PathMatch {}

    /** {@code path}: exact. */
    record Exact(String path) implements PathMatch {}

    /** {@code safe_regex}: the whole path must match. */
    record Regex(java.util.regex.Pattern pattern) implements PathMatch {
      @Override
      public boolean equals(Object other) {
        return other instanceof Regex regex && Patterns.same(pattern, regex.pattern);
      }

      @Override
      public int hashCode() {
        return Patterns.hash(pattern);
      }
    }

    /** {@code path_separated_prefix}: the prefix followed by the end, {@code /}, {@code ?} or {@code #}. */
    record SeparatedPrefix(String prefix) implements PathMatch {}
  }

  /**
   * A header matcher; {@code name} is lower case. {@code match} empty means {@code present_match}.
   */
  public record HeaderMatcher(String name, java.util.Optional<StringMatcher> match, boolean presentMatch, boolean invert) {}

  /** A query parameter matcher; {@code match} empty means {@code present_match: true}. */
  public record QueryParameterMatcher(String name, java.util.Optional<StringMatcher> match) {}
}
