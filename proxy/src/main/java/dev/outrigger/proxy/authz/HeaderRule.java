package dev.outrigger.proxy.authz;

import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.StringMatcher;
import io.netty.util.AsciiString;
import java.util.Locale;
import java.util.function.Function;

/**
 * Envoy's header matcher over a request's headers and pseudo-headers ({@code :method},
 * {@code :authority}, {@code :path}), with the routes' semantics: all values joined with
 * {@code ,}; {@code present_match} compares presence; a string matcher never matches an absent
 * header, inverted or not.
 */
final class HeaderRule {
  private HeaderRule() {}

  static Rule of(HeaderMatcher config) {
    Function<AuthzRequest, String> reader = reader(config.name().toLowerCase(Locale.ROOT));
    boolean invert = config.invert();
    if (config.match().isEmpty()) {
      boolean wantPresent = config.presentMatch();
      return request -> ((reader.apply(request) != null) == wantPresent) != invert;
    }
    StringMatcher matcher = config.match().get();
    return request -> {
      String value = reader.apply(request);
      return value != null && matcher.matches(value) != invert;
    };
  }

  private static Function<AuthzRequest, String> reader(String name) {
    switch (name) {
      case ":method":
        return AuthzRequest::method;
      case ":authority":
      case "host":
        return AuthzRequest::authority;
      case ":path":
        return AuthzRequest::rawPath;
      default:
        AsciiString header = AsciiString.cached(name);
        return request -> request.header(header);
    }
  }
}
