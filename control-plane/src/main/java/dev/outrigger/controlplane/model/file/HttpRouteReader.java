package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.BackendRef;
import dev.outrigger.controlplane.model.HeaderMatch;
import dev.outrigger.controlplane.model.HttpRoute;
import dev.outrigger.controlplane.model.HttpRoute.Match;
import dev.outrigger.controlplane.model.HttpRoute.PathMatch;
import dev.outrigger.controlplane.model.Metadata;
import dev.outrigger.controlplane.model.ParentRef;
import dev.outrigger.controlplane.model.RouteFilter;
import dev.outrigger.controlplane.model.RouteFilter.PathModifier;
import dev.outrigger.controlplane.model.file.RouteParts.FilterType;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/** {@code spec} of an HTTPRoute (Gateway API v1, mesh subset). */
final class HttpRouteReader {
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final List<FilterType> FILTERS = List.of(FilterType.values());

  private HttpRouteReader() {}

  static HttpRoute read(Metadata metadata, Fields spec) {
    String namespace = metadata.namespace();
    List<ParentRef> parents =
        spec.list("parentRefs", ref -> RouteParts.parentRef(ref, namespace));
    if (parents.isEmpty() && !spec.has("parentRefs")) {
      spec.problem("parentRefs", "required: the Service(s) whose traffic this route governs");
    }
    List<HttpRoute.Rule> rules = spec.list("rules", rule -> rule(rule, namespace));
    return new HttpRoute(metadata, parents, rules);
  }

  private static HttpRoute.Rule rule(Fields rule, String namespace) {
    Optional<String> name = rule.string("name").map(n -> Syntax.subdomain(rule, "name", n));
    List<Match> matches = rule.list("matches", HttpRouteReader::match);
    Set<FilterType> types = EnumSet.noneOf(FilterType.class);
    List<RouteFilter> filters =
        rule.list("filters", filter -> filter(filter, namespace, matches, types));
    List<BackendRef> backends =
        rule.list("backendRefs", ref -> RouteParts.backendRef(ref, namespace));
    if (types.contains(FilterType.REQUEST_REDIRECT) && !backends.isEmpty()) {
      rule.problem("backendRefs", "must be empty in a rule with a RequestRedirect filter");
    }
    HttpRoute.Timeouts timeouts =
        rule.object("timeouts", HttpRouteReader::timeouts).orElse(HttpRoute.Timeouts.NONE);
    Optional<HttpRoute.Retry> retry = rule.object("retry", HttpRouteReader::retry);
    return new HttpRoute.Rule(name, matches.isEmpty() ? List.of(new Match(PathMatch.ANY,
        List.of(), List.of(), Optional.empty())) : matches, filters, backends, timeouts, retry);
  }

  private static HttpRoute.Timeouts timeouts(Fields fields) {
    HttpRoute.Timeouts timeouts = new HttpRoute.Timeouts(Syntax.duration(fields, "request"),
        Syntax.duration(fields, "backendRequest"));
    if (timeouts.request().isPresent() && timeouts.backendRequest().isPresent()
        && timeouts.backendRequest().get().compareTo(timeouts.request().get()) > 0) {
      fields.problem("backendRequest", "must not be longer than request");
    }
    return timeouts;
  }

  private static Match match(Fields match) {
    PathMatch path = match.object("path", HttpRouteReader::pathMatch).orElse(PathMatch.ANY);
    List<HeaderMatch> headers =
        match.list("headers", header -> RouteParts.headerMatch(header, true));
    List<HeaderMatch> query =
        match.list("queryParams", param -> RouteParts.headerMatch(param, false));
    Optional<String> method = match.string("method");
    if (method.isPresent() && !METHODS.contains(method.get())) {
      match.problem("method", "must be one of " + String.join(", ", new TreeSet<>(METHODS))
          + ", not \"" + method.get() + "\"");
    }
    return new Match(path, headers, query, method);
  }

  private static PathMatch pathMatch(Fields path) {
    PathMatch.Type type = path.enumeration("type", PathMatch.Type.class, Fields::camelCase)
        .orElse(PathMatch.Type.PATH_PREFIX);
    String value = path.string("value").orElse("/");
    if (type == PathMatch.Type.REGULAR_EXPRESSION) {
      Syntax.regex(path, "value", value);
    } else {
      Syntax.absolutePath(path, "value", value);
    }
    return new PathMatch(type, value);
  }

  private static RouteFilter filter(Fields filter, String namespace, List<Match> matches,
      Set<FilterType> inRule) {
    return RouteParts.filter(filter, FILTERS, inRule, namespace, (type, body) -> type == FilterType.URL_REWRITE
        ? new RouteFilter.UrlRewrite(
            body.string("hostname").map(h -> Syntax.subdomain(body, "hostname", h)), pathModifier(body, matches))
        : redirect(body, matches));
  }

  private static RouteFilter.RequestRedirect redirect(Fields redirect, List<Match> matches) {
    Optional<String> scheme = redirect.string("scheme");
    if (scheme.isPresent() && !scheme.get().equals("http") && !scheme.get().equals("https")) {
      redirect.problem("scheme", "must be one of http, https, not \"" + scheme.get() + "\"");
    }
    Optional<String> hostname =
        redirect.string("hostname").map(h -> Syntax.subdomain(redirect, "hostname", h));
    Optional<PathModifier> path = pathModifier(redirect, matches);
    OptionalInt port = redirect.integer("port", 1, 65535);
    int status = redirect.integer("statusCode", 301, 302).orElse(302);
    return new RouteFilter.RequestRedirect(scheme, hostname, path, port, status);
  }

  private static Optional<PathModifier> pathModifier(Fields parent, List<Match> matches) {
    return parent.object("path", path -> readPathModifier(path, matches));
  }

  private static PathModifier readPathModifier(Fields path, List<Match> matches) {
    PathModifier.Type type = path.requiredEnumeration("type", PathModifier.Type.class, Fields::camelCase);
    String key = type == PathModifier.Type.REPLACE_FULL_PATH ? "replaceFullPath" : "replacePrefixMatch";
    String other = type == PathModifier.Type.REPLACE_FULL_PATH ? "replacePrefixMatch" : "replaceFullPath";
    String value = path.string(key).orElse("/");
    if (!path.has(key)) {
      path.problem(key, "required when type is " + Fields.camelCase(type));
    }
    if (path.has(other)) {
      path.problem(other, "must not be set when type is " + Fields.camelCase(type));
    }
    Syntax.absolutePath(path, key, value);
    if (type == PathModifier.Type.REPLACE_PREFIX_MATCH && (matches.isEmpty()
        || matches.stream().anyMatch(m -> m.path().type() != PathMatch.Type.PATH_PREFIX))) {
      path.problem("type", "ReplacePrefixMatch needs every match of the rule to be a PathPrefix match");
    }
    return new PathModifier(type, value);
  }

  private static HttpRoute.Retry retry(Fields retry) {
    List<Integer> codes = retry.integers("codes");
    for (int i = 0; i < codes.size(); i++) {
      if (codes.get(i) < 400 || codes.get(i) > 599) {
        retry.problem("codes[" + i + "]", "must be a status code from 400 to 599");
      }
    }
    return new HttpRoute.Retry(codes, retry.integer("attempts", 0, 100),
        Syntax.duration(retry, "backoff"));
  }
}
