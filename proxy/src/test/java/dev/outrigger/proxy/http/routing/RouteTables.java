package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.HeaderMutations.AppendAction;
import dev.outrigger.proxy.config.HeaderMutations.HeaderValueOption;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.config.RouteConfig;
import dev.outrigger.proxy.config.RouteMatchConfig;
import dev.outrigger.proxy.config.RouteMatchConfig.HeaderMatcher;
import dev.outrigger.proxy.config.RouteMatchConfig.PathMatch;
import dev.outrigger.proxy.config.RouteMatchConfig.QueryParameterMatcher;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.StringMatcher;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.config.WeightedClusters;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Optional;

/** Terse builders for route tables in tests. */
final class RouteTables {
  private RouteTables() {}

  static RouteTableConfig table(VirtualHostConfig... virtualHosts) {
    return new RouteTableConfig("table", List.of(virtualHosts), HeaderMutations.NONE);
  }

  static VirtualHostConfig vhost(String name, List<String> domains, RouteConfig... routes) {
    return new VirtualHostConfig(name, domains, List.of(routes), HeaderMutations.NONE);
  }

  static RouteConfig route(String name, RouteMatchConfig match, RouteAction action) {
    return new RouteConfig(name, match, action, HeaderMutations.NONE);
  }

  static RouteMatchConfig match(PathMatch path) {
    return new RouteMatchConfig(path, true, List.of(), List.of(), false);
  }

  static RouteMatchConfig match(PathMatch path, boolean caseSensitive) {
    return new RouteMatchConfig(path, caseSensitive, List.of(), List.of(), false);
  }

  static RouteMatchConfig matchHeaders(PathMatch path, HeaderMatcher... headers) {
    return new RouteMatchConfig(path, true, List.of(headers), List.of(), false);
  }

  static RouteMatchConfig matchQuery(PathMatch path, QueryParameterMatcher... parameters) {
    return new RouteMatchConfig(path, true, List.of(), List.of(parameters), false);
  }

  static RouteMatchConfig matchGrpc(PathMatch path) {
    return new RouteMatchConfig(path, true, List.of(), List.of(), true);
  }

  static PathMatch prefix(String prefix) {
    return new PathMatch.Prefix(prefix);
  }

  static PathMatch exact(String path) {
    return new PathMatch.Exact(path);
  }

  static PathMatch separated(String prefix) {
    return new PathMatch.SeparatedPrefix(prefix);
  }

  static PathMatch regex(String regex) {
    return new PathMatch.Regex(java.util.regex.Pattern.compile(regex));
  }

  static HeaderMatcher header(String name, StringMatcher matcher) {
    return new HeaderMatcher(name, Optional.of(matcher), false, false);
  }

  static HeaderMatcher headerInverted(String name, StringMatcher matcher) {
    return new HeaderMatcher(name, Optional.of(matcher), false, true);
  }

  static HeaderMatcher headerPresent(String name, boolean present, boolean invert) {
    return new HeaderMatcher(name, Optional.empty(), present, invert);
  }

  static RouteAction.Forward cluster(String cluster) {
    return forward(WeightedClusters.single(cluster), Optional.empty(), Optional.empty());
  }

  static RouteAction.Forward forward(
      WeightedClusters clusters, Optional<String> prefixRewrite, Optional<RouteAction.RegexRewrite> regexRewrite) {
    return new RouteAction.Forward(
        clusters,
        Optional.empty(),
        prefixRewrite,
        regexRewrite,
        Optional.empty(),
        false,
        RouteAction.Forward.DEFAULT_TIMEOUT,
        Optional.empty());
  }

  static RouteAction.DirectResponse respond(int status) {
    return new RouteAction.DirectResponse(status, Optional.empty());
  }

  static HeaderMutations requestAdds(HeaderValueOption... adds) {
    return new HeaderMutations(List.of(adds), List.of(), List.of(), List.of());
  }

  static HeaderValueOption add(String name, String value, AppendAction action) {
    return new HeaderValueOption(name, value, action);
  }

  static HttpHeaders headers(String... namesAndValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
