package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.RouteAction;
import dev.outrigger.proxy.http.filter.RouteFilters;
import java.util.List;

/**
 * {@code redirect}: builds {@code Location} as Envoy does. Each part the action leaves empty keeps
 * the request's own: the scheme (see {@link RequestView#scheme}), the authority as received, the
 * request-target. The request's port is dropped when the action sets a port, and when the scheme
 * changes away from one whose default port the request named ({@code http} with {@code :80}, {@code
 * https} with {@code :443}). A {@code path_redirect} with a query replaces the request's query and
 * survives {@code strip_query}; one without keeps the request's query.
 */
final class RedirectOutcome implements Outcome {
  private final String routeName;
  private final String virtualHostName;
  private final RouteAction.Redirect action;
  private final List<HeaderMutations> levels;
  private final RouteFilters filters;
  private final PathRewrite pathRewrite;
  private final String portSuffix;
  private final boolean pathRedirectHasQuery;

  RedirectOutcome(
      String routeName,
      String virtualHostName,
      RouteAction.Redirect action,
      List<HeaderMutations> levels,
      RouteFilters filters) {
    if (action.pathRedirect().isPresent() && action.prefixRewrite().isPresent()) {
      throw new IllegalArgumentException("path_redirect and prefix_rewrite are exclusive");
    }
    this.routeName = routeName;
    this.virtualHostName = virtualHostName;
    this.action = action;
    this.levels = levels;
    this.filters = filters;
    this.pathRewrite = action.prefixRewrite().map(PathRewrite::prefix).orElse(PathRewrite.NONE);
    this.portSuffix = action.port().map(port -> ":" + port).orElse("");
    this.pathRedirectHasQuery = action.pathRedirect().map(p -> p.indexOf('?') >= 0).orElse(false);
  }

  @Override
  public RouteDecision decide(RequestView request, int matchedLength) {
    String requestScheme = request.scheme();
    String scheme = action.scheme().orElse(requestScheme);
    String host = action.host().orElseGet(() -> requestHost(request.authority, requestScheme, scheme));
    String location = scheme + "://" + host + portSuffix + path(request, matchedLength);
    return new RouteDecision.Redirect(
        routeName, virtualHostName, action.responseCode(), location, levels, filters);
  }

  private String path(RequestView request, int matchedLength) {
    String path;
    if (action.pathRedirect().isPresent()) {
      path = action.pathRedirect().get();
      if (!pathRedirectHasQuery) {
        path += request.rawPath.substring(request.pathEnd);
      }
    } else {
      path = pathRewrite.apply(request, matchedLength);
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    int query = path.indexOf('?');
    return action.stripQuery() && !pathRedirectHasQuery && query >= 0 ? path.substring(0, query) : path;
  }

  private String requestHost(String authority, String requestScheme, String scheme) {
    int portStart = portStart(authority);
    if (portStart < 0) {
      return authority;
    }
    String requestPort = authority.substring(portStart);
    boolean dropPort =
        !portSuffix.isEmpty()
            || (!scheme.equals(requestScheme)
                && ((requestScheme.equals("https") && requestPort.equals(":443"))
                    || (requestScheme.equals("http") && requestPort.equals(":80"))));
    return dropPort ? authority.substring(0, portStart) : authority;
  }

  /** Index of the {@code :} before the port, -1 without one; IPv6 literals are bracketed. */
  private static int portStart(String authority) {
    if (authority.startsWith("[")) {
      int close = authority.lastIndexOf("]:");
      return close < 0 ? -1 : close + 1;
    }
    return authority.lastIndexOf(':');
  }
}
