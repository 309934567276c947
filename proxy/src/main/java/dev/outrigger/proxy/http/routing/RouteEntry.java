package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.RouteMatchConfig;
import io.netty.handler.codec.http.HttpHeaderNames;

/** One route, compiled: its match conditions, cheapest first, and its outcome. */
final class RouteEntry {
  private static final String GRPC_CONTENT_TYPE = "application/grpc";

  final PathCondition path;
  private final boolean grpc;
  private final HeaderCondition[] headers;
  private final QueryCondition[] queryParameters;
  private final Outcome outcome;

  RouteEntry(RouteMatchConfig match, Outcome outcome) {
    this.path = PathCondition.compile(match.path(), match.caseSensitive());
    this.grpc = match.grpc();
    this.headers = match.headers().stream().map(HeaderCondition::compile).toArray(HeaderCondition[]::new);
    this.queryParameters =
        match.queryParameters().stream().map(QueryCondition::new).toArray(QueryCondition[]::new);
    this.outcome = outcome;
  }

  /** The decision when this route matches the request, else null. */
  RouteDecision decide(RequestView request) {
    int matchedLength = path.match(request);
    if (matchedLength < 0 || (grpc && !isGrpc(request))) {
      return null;
    }
    for (HeaderCondition header : headers) {
      if (!header.matches(request)) {
        return null;
      }
    }
    for (QueryCondition query : queryParameters) {
      if (!query.matches(request)) {
        return null;
      }
    }
    return outcome.decide(request, matchedLength);
  }

  /** Envoy's rule: exactly {@code application/grpc} or {@code application/grpc+...}, not grpc-web. */
  private static boolean isGrpc(RequestView request) {
    String contentType = request.headers.get(HttpHeaderNames.CONTENT_TYPE);
    return contentType != null
        && contentType.startsWith(GRPC_CONTENT_TYPE)
        && (contentType.length() == GRPC_CONTENT_TYPE.length()
            || contentType.charAt(GRPC_CONTENT_TYPE.length()) == '+');
  }
}
