package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import io.netty.util.AsciiString;
import java.util.Set;
import java.util.function.Function;

/**
 * A route's header matcher with Envoy's semantics: all values of the header joined with {@code ,};
 * {@code present_match} compares presence with the wanted value; a string matcher never matches an
 * absent header, inverted or not.
 */
final class HeaderCondition {
  private static final Set<String> KNOWN_PSEUDO_HEADERS = Set.of(":authority", ":method", ":path", ":scheme");

  private final Function<RequestView, String> reader;
  private final StringMatcher matcher;
  private final boolean wantPresent;
  private final boolean invert;

  private HeaderCondition(
      Function<RequestView, String> reader, StringMatcher matcher, boolean wantPresent, boolean invert) {
    this.reader = reader;
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
        reader(name), config.match().orElse(null), config.presentMatch(), config.invert());
  }

  /**
   * How to read the header's value, null when absent. The pseudo-headers come from the request
   * line, and {@code host} is the authority whatever the protocol.
   */
  private static Function<RequestView, String> reader(String name) {
    switch (name) {
      case ":authority":
      case "host":
        return request -> request.authority;
      case ":method":
        return request -> request.method;
      case ":path":
        return request -> request.rawPath;
      case ":scheme":
        return RequestView::scheme;
      default:
        AsciiString header = AsciiString.cached(name);
        return request -> request.joinedHeader(header);
    }
  }

  boolean matches(RequestView request) {
    String value = reader.apply(request);
    if (matcher == null) {
      return ((value != null) == wantPresent) != invert;
    }
    return value != null && matcher.matches(value) != invert;
  }
}
