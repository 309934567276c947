package dev.outrigger.proxy.http.filter;

import dev.outrigger.proxy.config.HttpFilterSettings;

/**
 * One HTTP filter of a connection manager: decides on each request after the route is chosen and
 * before an upstream is picked. Made once per connection-manager config (per snapshot) by its
 * {@link HttpFilterFactory}, shared by every connection and event loop of that snapshot: state it
 * keeps across requests must be thread-safe, and lock-free because it runs on the event loops.
 */
public interface HttpFilter {

  /**
   * Decides on one request, on its event loop; must not block. May add response headers through
   * {@link FilterRequest#responseHeaders}.
   */
  FilterVerdict onRequest(FilterRequest request);

  /**
   * This filter as configured by a {@code typed_per_filter_config} override, which replaces the
   * filter's own settings for the routes it applies to (as in Envoy). Called while the route
   * table is compiled, once per override; the filter it returns serves every route the override
   * covers, so a rate limit set on a virtual host has one bucket for all its routes.
   *
   * @param override what the filter's translator made of the override (its per-route type)
   */
  HttpFilter forRoute(HttpFilterSettings override);
}
