package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.RouteTableConfig;
import dev.outrigger.proxy.config.VirtualHostConfig;
import dev.outrigger.proxy.http.filter.HttpFilterChain;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * Envoy's router for one {@code RouteConfiguration} snapshot: chooses the virtual host by authority
 * (see {@link VirtualHostSelector} for the order and the port rule), then the first route of that
 * host whose match holds, and turns its action into a {@link RouteDecision}.
 *
 * <p>Compiled once per snapshot and immutable after, so any event loop may call {@link #route}
 * without locks. Per request it does one hash look-up for the host, one for the first path
 * segment (which narrows the routes to test, see {@link CandidateIndex}), and allocates only the
 * decision of a forward or redirect, a rewritten path, and the decoded query when a route asks
 * for query parameters.
 */
public final class Router {
  private static final IntUnaryOperator THREAD_LOCAL_DRAW =
      bound -> ThreadLocalRandom.current().nextInt(bound);

  private final VirtualHostSelector virtualHosts;

  private Router(VirtualHostSelector virtualHosts) {
    this.virtualHosts = virtualHosts;
  }

  /**
   * Compiles a route table.
   *
   * @throws IllegalArgumentException when the table is inconsistent (a domain in two virtual hosts,
   *     a header matcher on an unsupported pseudo-header, weights adding up to zero, an invalid
   *     {@code regex_rewrite} substitution)
   */
  public static Router compile(RouteTableConfig config) {
    return compile(config, HttpFilterChain.NONE);
  }

  /**
   * Compiles a route table for a connection manager with HTTP filters: each forwarding route
   * carries them with its {@code typed_per_filter_config} overrides resolved.
   */
  public static Router compile(RouteTableConfig config, HttpFilterChain filters) {
    return compile(config, filters, THREAD_LOCAL_DRAW);
  }

  /** @param draw returns a number uniform in {@code [0, bound)}; picks weighted clusters */
  static Router compile(RouteTableConfig config, IntUnaryOperator draw) {
    return compile(config, HttpFilterChain.NONE, draw);
  }

  private static Router compile(RouteTableConfig config, HttpFilterChain filters, IntUnaryOperator draw) {
    HeaderMutations tableHeaders = Objects.requireNonNullElse(config.headers(), HeaderMutations.NONE);
    VirtualHostSelector.Builder selector = new VirtualHostSelector.Builder();
    for (VirtualHostConfig virtualHost : config.virtualHosts()) {
      VirtualHostRoutes routes = new VirtualHostRoutes(virtualHost, tableHeaders, filters, draw);
      for (String domain : virtualHost.domains()) {
        selector.add(virtualHost.name(), domain, routes);
      }
    }
    return new Router(selector.build());
  }

  /** Routes a {@code GET} request: see {@link #route(String, String, String, HttpHeaders)}. */
  public RouteDecision route(String authority, String path, HttpHeaders headers) {
    return route("GET", authority, path, headers);
  }

  /**
   * Routes one request.
   *
   * @param method the request method, what a header matcher on {@code :method} sees
   * @param authority {@code Host} or {@code :authority} as received, port included if sent
   * @param path the request-target as received: origin form, path then optional {@code ?query}
   * @param headers the request headers; {@code x-forwarded-proto} (set by the connection manager
   *     before routing, as Envoy does) gives the scheme that redirects keep
   * @return never null; {@link RouteDecision.NoRoute} when no virtual host or route matches
   */
  public RouteDecision route(String method, String authority, String path, HttpHeaders headers) {
    if (authority == null) {
      return RouteDecision.NoRoute.INSTANCE;
    }
    VirtualHostRoutes virtualHost = virtualHosts.select(authority);
    if (virtualHost == null) {
      return RouteDecision.NoRoute.INSTANCE;
    }
    return virtualHost.route(new RequestView(method, authority, path, headers));
  }
}
