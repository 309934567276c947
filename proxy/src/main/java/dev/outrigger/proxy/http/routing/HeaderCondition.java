package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import java.util.Set;

/**
 * A route's header matcher with Envoy's semantics: all values of the header joined with {@code ,};
 * {@code present_match} compares presence with the wanted value; a string matcher never matches an
 * absent header, inverted or not.
 */
final class HeaderCondition {
  private static final Set<String> KNOWN_PSEUDO_HEADERS = Set.of(":authority", ":path", ":scheme");

  private final String name;
  private final StringMatcher matcher;
  private final boolean wantPresent;
  private final boolean invert;

  private HeaderCondition(String name, StringMatcher matcher, boolean wantPresent, boolean invert) {
    this.name = name;
    this.matcher = matcher;
    this.wantPresent = wantPresent;
    this.invert = invert;
  }

  static HeaderCondition compile(HeaderMatcher config) {
    String name = AsciiCase.toLowerCase(config.name());
    if (name.startsWith(":") && !KNOWN_PSEUDO_HEADERS.contains(name)) {
      throw new IllegalArgumentException(
          "header matcher on " + name + " is not supported; supported pseudo-headers: "
              + KNOWN_PSEUDO_HEADERS);
    }
    return new HeaderCondition(
        name, config.match().orElse(null), config.presentMatch(), config.invert());
  }

  boolean matches(RequestView request) {
    String value = request.joinedHeader(name);
    if (matcher == null) {
      return ((value != null) == wantPresent) != invert;
    }
    return value != null && matcher.matches(value) != invert;
  }
}
