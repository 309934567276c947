package dev.outrigger.controlplane.translate;

import dev.outrigger.controlplane.model.GrpcRoute;
import dev.outrigger.controlplane.model.HeaderMatch;
import dev.outrigger.controlplane.model.HttpRoute;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Gateway API matches as Envoy route matches, and the order Gateway API tries them in. */
final class RouteMatches {
  /**
   * Gateway API precedence: an Exact path, then (our choice where the API leaves it open) a
   * regular expression, then the longest PathPrefix; then a method match before none, then more
   * header matches, more query matches. Ties keep their order (routes by namespace and name, then rules).
   */
  static final Comparator<HttpRoute.Match> PRECEDENCE = Comparator
      .comparingInt((HttpRoute.Match m) -> rank(m.path().type()))
      .thenComparing(m -> m.path().type() == HttpRoute.PathMatch.Type.PATH_PREFIX ? -prefix(m.path().value()).length() : 0)
      .thenComparing(m -> m.method().isPresent() ? 0 : 1)
      .thenComparing(m -> -m.headers().size())
      .thenComparing(m -> -m.queryParams().size());

  /**
   * GRPCRoute precedence (Gateway API): the most characters of an Exact service, then of an Exact
   * method, then more header matches; regular expressions count as no characters. Ties keep their
   * order.
   */
  static final Comparator<GrpcRoute.Match> GRPC_PRECEDENCE = Comparator
      .comparingInt((GrpcRoute.Match m) -> -exactLength(m, GrpcRoute.MethodMatch::service))
      .thenComparingInt(m -> -exactLength(m, GrpcRoute.MethodMatch::method))
      .thenComparingInt(m -> -m.headers().size());

  /** Envoy matches the method as the {@code :method} pseudo-header. */
  private static final String METHOD = ":method";

  private RouteMatches() {}

  static RouteMatch http(HttpRoute.Match match) {
    RouteMatch.Builder route = RouteMatch.newBuilder();
    String value = match.path().value();
    switch (match.path().type()) {
      case EXACT:
        route.setPath(value);
        break;
      case REGULAR_EXPRESSION:
        route.setSafeRegex(regex(value));
        break;
      default:
        // Gateway API prefixes match whole segments: /api matches /api and /api/x, not /apis.
        String prefix = prefix(value);
        if (prefix.isEmpty()) {
          route.setPrefix("");
        } else {
          route.setPathSeparatedPrefix(prefix);
        }
    }
    match.method().ifPresent(method -> route.addHeaders(HeaderMatcher.newBuilder().setName(METHOD)
        .setStringMatch(StringMatcher.newBuilder().setExact(method))));
    match.headers().forEach(header -> route.addHeaders(header(header)));
    match.queryParams().forEach(query -> route.addQueryParameters(QueryParameterMatcher.newBuilder()
        .setName(query.name()).setStringMatch(string(query))));
    return route.build();
  }

  /** The call path {@code /<service>/<method>}; a part not given matches any. */
  static RouteMatch grpc(GrpcRoute.Match match) {
    RouteMatch.Builder route = RouteMatch.newBuilder()
        .setGrpc(RouteMatch.GrpcRouteMatchOptions.getDefaultInstance());
    if (match.method().isEmpty()) {
      route.setPrefix("/");
    } else {
      GrpcRoute.MethodMatch method = match.method().get();
      boolean exact = method.type() == HeaderMatch.MatchType.EXACT;
      if (exact && method.service().isPresent() && method.method().isPresent()) {
        route.setPath("/" + method.service().get() + "/" + method.method().get());
      } else if (exact && method.method().isEmpty()) {
        route.setPrefix("/" + method.service().orElseThrow() + "/");
      } else {
        String service = method.service().map(s -> exact ? Pattern.quote(s) : s).orElse("[^/]+");
        String name = method.method().map(m -> exact ? Pattern.quote(m) : m).orElse("[^/]+");
        route.setSafeRegex(regex("/(" + service + ")/(" + name + ")"));
      }
    }
    match.headers().forEach(header -> route.addHeaders(header(header)));
    return route.build();
  }

  private static int exactLength(GrpcRoute.Match match,
      Function<GrpcRoute.MethodMatch, Optional<String>> part) {
    return match.method().filter(method -> method.type() == HeaderMatch.MatchType.EXACT)
        .flatMap(part).map(String::length).orElse(0);
  }

  private static HeaderMatcher header(HeaderMatch header) {
    return HeaderMatcher.newBuilder().setName(header.name()).setStringMatch(string(header)).build();
  }

  private static StringMatcher string(HeaderMatch match) {
    return match.type() == HeaderMatch.MatchType.EXACT
        ? StringMatcher.newBuilder().setExact(match.value()).build()
        : StringMatcher.newBuilder().setSafeRegex(regex(match.value())).build();
  }

  static RegexMatcher regex(String regex) {
    return RegexMatcher.newBuilder().setRegex(regex).build();
  }

  /** The prefix without its trailing slashes ("" for "/"). */
  private static String prefix(String value) {
    String prefix = value;
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix;
  }

  private static int rank(HttpRoute.PathMatch.Type type) {
    switch (type) {
      case EXACT:
        return 0;
      case REGULAR_EXPRESSION:
        return 1;
      default:
        return 2;
    }
  }
}
