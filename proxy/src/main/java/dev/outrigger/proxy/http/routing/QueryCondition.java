package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.RouteMatchConfig.QueryParameterMatcher;
import dev.outrigger.proxy.config.StringMatcher;

/** A route's query parameter matcher: the parameter's first decoded value, or its presence. */
final class QueryCondition {
  private final String name;
  private final StringMatcher matcher;

  QueryCondition(QueryParameterMatcher config) {
    this.name = config.name();
    this.matcher = config.match().orElse(null);
  }

  boolean matches(RequestView request) {
    String value = request.queryParameters().get(name);
    return value != null && (matcher == null || matcher.matches(value));
  }
}
