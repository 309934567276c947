package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.BackendRef;
import dev.outrigger.controlplane.model.HeaderMatch;
import dev.outrigger.controlplane.model.HeaderModifier;
import dev.outrigger.controlplane.model.ParentRef;
import dev.outrigger.controlplane.model.RouteFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;

/** The parts HTTPRoute and GRPCRoute share: references, header matches, header and mirror filters. */
final class RouteParts {
  private RouteParts() {}

  /** A mesh parentRef: {@code group: ""} (or absent) and {@code kind: Service}, as GAMMA requires. */
  static ParentRef parentRef(Fields ref, String routeNamespace) {
    serviceKind(ref, true);
    String name = Syntax.label(ref, "name", ref.requiredString("name"));
    String namespace = Syntax.label(ref, "namespace", ref.string("namespace").orElse(routeNamespace));
    OptionalInt port = ref.integer("port", 1, 65535);
    return new ParentRef(namespace, name, port);
  }

  /** A rule's {@code backendRefs} entry: a Service port and a weight. */
  static BackendRef backendRef(Fields ref, String routeNamespace) {
    BackendRef object = backendObject(ref, routeNamespace);
    return new BackendRef(object.namespace(), object.name(), object.port(),
        ref.integer("weight", 0, 1_000_000).orElse(1));
  }

  /** A mirror's {@code backendRef}: Gateway API's BackendObjectReference, which has no weight. */
  private static BackendRef backendObject(Fields ref, String routeNamespace) {
    serviceKind(ref, false);
    String name = Syntax.label(ref, "name", ref.requiredString("name"));
    String namespace = Syntax.label(ref, "namespace", ref.string("namespace").orElse(routeNamespace));
    int port = ref.requiredInteger("port", 1, 65535);
    return new BackendRef(namespace, name, port, 1);
  }

  /**
   * Only Services are referred to. For a parentRef the kind must be written (Gateway API's default
   * kind is Gateway, which the mesh does not have); for a backendRef Service is the default.
   */
  private static void serviceKind(Fields ref, boolean kindRequired) {
    String group = ref.string("group").orElse("");
    if (!group.isEmpty()) {
      ref.problem("group", "must be \"\" (the core group of Service), not \"" + group + "\"");
    }
    if (kindRequired && !ref.has("kind")) {
      ref.problem("kind", "required: Service (mesh routes attach to Services)");
    }
    String kind = ref.string("kind").orElse("Service");
    if (!kind.equals("Service")) {
      ref.problem("kind", "must be Service, not \"" + kind + "\"");
    }
  }

  static HeaderMatch headerMatch(Fields match, boolean header) {
    HeaderMatch.MatchType type = match.enumeration("type", HeaderMatch.MatchType.class, Fields::camelCase)
        .orElse(HeaderMatch.MatchType.EXACT);
    String name = match.requiredString("name");
    if (header) {
      Syntax.headerName(match, "name", name);
    }
    String value = match.requiredString("value");
    if (type == HeaderMatch.MatchType.REGULAR_EXPRESSION) {
      Syntax.regex(match, "value", value);
    }
    return new HeaderMatch(type, name, value);
  }

  static HeaderModifier headerModifier(Fields modifier) {
    return new HeaderModifier(headers(modifier, "set"), headers(modifier, "add"),
        modifier.strings("remove"));
  }

  private static Map<String, String> headers(Fields modifier, String key) {
    Map<String, String> headers = new LinkedHashMap<>();
    modifier.list(key, header -> {
      String name = Syntax.headerName(header, "name", header.requiredString("name"));
      String value = header.requiredString("value");
      if (headers.put(name.toLowerCase(Locale.ROOT), value) != null) {
        header.problem("name", "duplicate header " + name);
      }
      return null;
    });
    return headers;
  }

  static RouteFilter.RequestMirror mirror(Fields mirror, String routeNamespace) {
    if (!mirror.has("backendRef")) {
      mirror.problem("backendRef", "required");
    }
    BackendRef backend = mirror.object("backendRef", ref -> backendObject(ref, routeNamespace))
        .orElse(new BackendRef(routeNamespace, "", 0, 1));
    if (mirror.has("percent") && mirror.has("fraction")) {
      mirror.problem("fraction", "not together with percent");
    }
    int percent = mirror.integer("percent", 0, 100).orElse(100);
    return mirror.object("fraction", fraction -> fraction(fraction, backend))
        .orElse(new RouteFilter.RequestMirror(backend, percent, 100));
  }

  /** Gateway API's {@code fraction}: {@code numerator} over {@code denominator} (default 100), at most 1. */
  private static RouteFilter.RequestMirror fraction(Fields fraction, BackendRef backend) {
    int numerator = fraction.requiredInteger("numerator", 0, Integer.MAX_VALUE);
    int denominator = fraction.integer("denominator", 1, Integer.MAX_VALUE).orElse(100);
    if (numerator > denominator) {
      fraction.problem("numerator", "must be <= denominator (" + denominator + ")");
    }
    return new RouteFilter.RequestMirror(backend, numerator, denominator);
  }

  /** Gateway API's filter union: {@code type} names the one field that must be set. */
  enum FilterType {
    REQUEST_HEADER_MODIFIER("RequestHeaderModifier", "requestHeaderModifier"),
    RESPONSE_HEADER_MODIFIER("ResponseHeaderModifier", "responseHeaderModifier"),
    URL_REWRITE("URLRewrite", "urlRewrite"),
    REQUEST_REDIRECT("RequestRedirect", "requestRedirect"),
    REQUEST_MIRROR("RequestMirror", "requestMirror");

    final String typeName;
    final String field;

    FilterType(String typeName, String field) {
      this.typeName = typeName;
      this.field = field;
    }
  }

  /** A filter's type and the object of its field (null when that is missing or not an object). */
  record FilterBody(FilterType type, Fields body) {}

  /**
   * One entry of a rule's {@code filters}: the kinds both route kinds take (header modifiers,
   * mirror) here, the others by {@code own} (HTTPRoute's rewrite and redirect); null when the entry
   * is unusable (its problems are recorded).
   */
  static RouteFilter filter(Fields filter, List<FilterType> allowed, Set<FilterType> inRule, String namespace,
      BiFunction<FilterType, Fields, RouteFilter> own) {
    FilterBody typed = filterBody(filter, allowed, inRule);
    if (typed == null || typed.body() == null) {
      return null;
    }
    Fields body = typed.body();
    RouteFilter value;
    switch (typed.type()) {
      case REQUEST_HEADER_MODIFIER:
        value = new RouteFilter.RequestHeaderModifier(headerModifier(body));
        break;
      case RESPONSE_HEADER_MODIFIER:
        value = new RouteFilter.ResponseHeaderModifier(headerModifier(body));
        break;
      case REQUEST_MIRROR:
        value = mirror(body, namespace);
        break;
      default:
        value = own.apply(typed.type(), body);
    }
    body.done();
    return value;
  }

  /**
   * Reads a filter's {@code type} and checks that exactly its field is set; null when the type is
   * missing, unknown or not {@code allowed}. The fields of types not allowed are unknown fields.
   * {@code inRule} collects the rule's filter types: as in Gateway API, only RequestMirror may
   * repeat, and URLRewrite and RequestRedirect exclude each other.
   */
  static FilterBody filterBody(Fields filter, List<FilterType> allowed, Set<FilterType> inRule) {
    FilterType type = filter.enumeration("type", FilterType.class, t -> t.typeName).orElse(null);
    if (type == null && !filter.has("type")) {
      filter.problem("type", "required");
    } else if (type != null && !allowed.contains(type)) {
      filter.problem("type", type.typeName + " is not supported in this kind of route");
      type = null;
    }
    if (type != null && !inRule.add(type) && type != FilterType.REQUEST_MIRROR) {
      filter.problem("type", type.typeName + " may appear only once in a rule");
    }
    if (inRule.contains(FilterType.URL_REWRITE) && inRule.contains(FilterType.REQUEST_REDIRECT)
        && (type == FilterType.URL_REWRITE || type == FilterType.REQUEST_REDIRECT)) {
      filter.problem("type", "URLRewrite and RequestRedirect cannot be in the same rule");
    }
    Fields body = null;
    for (FilterType candidate : allowed) {
      if (candidate == type) {
        body = filter.object(candidate.field);
        if (!filter.has(candidate.field)) {
          filter.problem(candidate.field, "required when type is " + candidate.typeName);
        }
      } else if (filter.has(candidate.field)) {
        filter.problem(candidate.field, type == null
            ? "must not be set without a matching type"
            : "must not be set when type is " + type.typeName);
      }
    }
    return type == null ? null : new FilterBody(type, body);
  }
}
