/**
 * The HTTP filter chain: what runs on a request after the router chose its route and before an
 * upstream is picked, or before a {@code direct_response} or {@code redirect} answers ({@code
 * envoy.filters.http.*} other than the router, which stays last).
 *
 * <h2>How a request goes through</h2>
 *
 * The connection manager makes the filters once per config snapshot ({@link HttpFilterChain},
 * from each {@code http_filters} entry's {@link HttpFilterFactory}). While the route table
 * compiles, each route (and weighted cluster) resolves its {@code typed_per_filter_config}
 * overrides, most specific first (weighted cluster, route, virtual host), into its own {@link
 * RouteFilters}; an override replaces the filter's settings, as in Envoy, through {@link
 * HttpFilter#forRoute}. The router's decision (forward, respond, redirect) carries them, so a request
 * looks nothing up. {@code Exchange} hands them to a {@link FilterRun}: route, filters, forward.
 * Each filter returns a {@link FilterVerdict}: continue, answer locally (status, body, response
 * flag, gRPC status; trailers-only to gRPC), or wait on the event loop and then continue or
 * answer. A request that ends while it waits (client gone, timeout) cancels the timer.
 *
 * <p>A filter sees the request through {@link FilterRequest}: headers, method, path, authority,
 * the downstream {@code ConnectionContext} (peer certificate, remote and local addresses, the
 * local port being the destination port), and the {@code StreamInfo}, where it may add a response
 * flag or anything access logs should show. It may set response headers, and keep state per
 * downstream connection with a {@link ConnectionLocal}. Filters are shared by all event loops:
 * state across requests must be lock-free and thread-safe.
 *
 * <h2>Adding a filter (RBAC, say)</h2>
 *
 * <ol>
 *   <li>In its own package: a settings record implementing {@link HttpFilterFactory} (the
 *       translated {@code typed_config}; {@code newFilter} makes the filter once per snapshot),
 *       a record implementing {@code config.HttpFilterSettings} for its per-route type when that
 *       differs (RBAC's {@code RBACPerRoute}), and the {@link HttpFilter}, whose {@code forRoute}
 *       takes that per-route record.
 *   <li>In {@code bootstrap}: a translator from the protos to those records, one entry in {@code
 *       HttpFilterRegistry.BUILT_IN} (config type, its translator, per-route type, its
 *       translator), and one block in {@code Subset} (the {@code http_filters} and {@code
 *       typed_per_filter_config} slots take the types, plus the fields the filter supports;
 *       entries for the same slot or type add up). Document it in docs/envoy-subset.md.
 * </ol>
 *
 * Nothing else changes: the chain, the route table and the exchange treat every filter alike.
 * Per-route resolution needs no code of the filter beyond {@code forRoute}.
 */
package dev.outrigger.proxy.http.filter;
