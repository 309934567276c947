/**
 * Envoy's HTTP router for a {@code RouteConfiguration} snapshot.
 *
 * <p>The connection manager compiles a {@link dev.outrigger.proxy.http.routing.Router} once per
 * config snapshot, calls {@link dev.outrigger.proxy.http.routing.Router#route} once per request,
 * and acts on the sealed {@link dev.outrigger.proxy.http.routing.RouteDecision}: forward (cluster,
 * rewritten path, authority rewrite, timeouts), answer directly, redirect, or 404 {@code NR}. The
 * decision's header mutations go through {@link dev.outrigger.proxy.http.routing.HeaderMutator}:
 * request mutations before the request goes upstream, response mutations on the response (or on the
 * local answer).
 *
 * <p>Compilation turns the config records into small immutable units, each doing one step: {@link
 * dev.outrigger.proxy.http.routing.VirtualHostSelector} (authority to virtual host), {@link
 * dev.outrigger.proxy.http.routing.CandidateIndex} (path to the routes worth testing), {@link
 * dev.outrigger.proxy.http.routing.RouteEntry} with its path, header and query conditions, and an
 * {@link dev.outrigger.proxy.http.routing.Outcome} per action with its {@link
 * dev.outrigger.proxy.http.routing.ClusterChoice} and {@link
 * dev.outrigger.proxy.http.routing.PathRewrite}. Nothing is locked or looked up by name per request
 * beyond the two hash look-ups of host and first path segment.
 */
package dev.outrigger.proxy.http.routing;
