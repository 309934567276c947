package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.GrpcRoute;
import dev.outrigger.controlplane.model.HeaderMatch;
import dev.outrigger.controlplane.model.Metadata;
import dev.outrigger.controlplane.model.ParentRef;
import dev.outrigger.controlplane.model.RouteFilter;
import dev.outrigger.controlplane.model.file.RouteParts.FilterType;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code spec} of a GRPCRoute (Gateway API v1, mesh subset). */
final class GrpcRouteReader {
  private static final List<FilterType> FILTERS = List.of(FilterType.REQUEST_HEADER_MODIFIER,
      FilterType.RESPONSE_HEADER_MODIFIER, FilterType.REQUEST_MIRROR);

  private GrpcRouteReader() {}

  static GrpcRoute read(Metadata metadata, Fields spec) {
    String namespace = metadata.namespace();
    List<ParentRef> parents =
        spec.list("parentRefs", ref -> RouteParts.parentRef(ref, namespace));
    if (parents.isEmpty() && !spec.has("parentRefs")) {
      spec.problem("parentRefs", "required: the Service(s) whose traffic this route governs");
    }
    return new GrpcRoute(metadata, parents, spec.list("rules", rule -> rule(rule, namespace)));
  }

  private static GrpcRoute.Rule rule(Fields rule, String namespace) {
    Optional<String> name = rule.string("name").map(n -> Syntax.subdomain(rule, "name", n));
    List<GrpcRoute.Match> matches = rule.list("matches", GrpcRouteReader::match);
    Set<FilterType> types = EnumSet.noneOf(FilterType.class);
    List<RouteFilter> filters = rule.list("filters", filter -> filter(filter, namespace, types));
    return new GrpcRoute.Rule(name, matches, filters,
        rule.list("backendRefs", ref -> RouteParts.backendRef(ref, namespace)));
  }

  private static GrpcRoute.Match match(Fields match) {
    Optional<GrpcRoute.MethodMatch> method = match.object("method", m -> {
      HeaderMatch.MatchType type = m.enumeration("type", HeaderMatch.MatchType.class, Fields::camelCase)
          .orElse(HeaderMatch.MatchType.EXACT);
      Optional<String> service = m.string("service");
      Optional<String> name = m.string("method");
      if (service.isEmpty() && name.isEmpty()) {
        m.problem("", "needs service, method or both");
      }
      if (type == HeaderMatch.MatchType.REGULAR_EXPRESSION) {
        service.ifPresent(s -> Syntax.regex(m, "service", s));
        name.ifPresent(s -> Syntax.regex(m, "method", s));
      } else {
        service.filter(s -> s.contains("/")).ifPresent(s -> m.problem("service", "must not contain /"));
        name.filter(s -> s.contains("/")).ifPresent(s -> m.problem("method", "must not contain /"));
      }
      return new GrpcRoute.MethodMatch(type, service, name);
    });
    return new GrpcRoute.Match(method, match.list("headers", h -> RouteParts.headerMatch(h, true)));
  }

  private static RouteFilter filter(Fields filter, String namespace, Set<FilterType> inRule) {
    return RouteParts.filter(filter, FILTERS, inRule, namespace, (type, body) -> {
      throw new IllegalStateException(type + " is not a GRPCRoute filter");
    });
  }
}
