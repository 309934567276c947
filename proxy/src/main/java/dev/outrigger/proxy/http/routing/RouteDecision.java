package dev.outrigger.proxy.http.routing;

import dev.outrigger.proxy.config.HashPolicy;
import dev.outrigger.proxy.config.HeaderMutations;
import dev.outrigger.proxy.config.MirrorPolicy;
import dev.outrigger.proxy.http.filter.RouteFilters;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to do with one request, decided by {@link Router#route}. Each decision that came from a
 * route carries the header mutations of every level that applies, most specific first, ready for
 * {@link HeaderMutator}.
 */
public sealed interface RouteDecision
    permits RouteDecision.NoRoute, RouteDecision.Forward, RouteDecision.Respond, RouteDecision.Redirect {

  /** No virtual host or no route matched: answer 404 with response flag {@code NR}. */
  record NoRoute() implements RouteDecision {
    static final NoRoute INSTANCE = new NoRoute();
  }

  /**
   * Forward upstream.
   *
   * @param cluster the cluster to forward to; empty when {@code cluster_header} named none (Envoy
   *     then answers 503 with flag {@code NC}, as for a cluster that does not exist)
   * @param path the request-target to send: the received one with {@code prefix_rewrite} or {@code
   *     regex_rewrite} applied, query kept; the same instance as received when nothing was rewritten
   * @param hostRewrite {@code host_rewrite_literal}: send this as the authority
   * @param autoHostRewrite send the chosen endpoint's host name as the authority
   * @param timeout the whole exchange after the request ended; zero disables
   * @param idleTimeout the route's stream idle timeout; empty inherits the connection manager's
   * @param headerMutations weighted cluster, route, virtual host, route table: apply requests' with
   *     {@link HeaderMutator#applyRequest}, responses' with {@link HeaderMutator#applyResponse}
   * @param upstreamPolicy retries, the retry buffer, attempt counts and stream duration
   * @param filters the HTTP filters to run before forwarding, with this route's overrides
   * @param hashPolicies what the request hash is made of, for RING_HASH and MAGLEV clusters
   * @param mirrors the mirror policies this request was drawn for: where its copies go
   */
  record Forward(
      String routeName,
      String virtualHostName,
      Optional<String> cluster,
      String path,
      Optional<String> hostRewrite,
      boolean autoHostRewrite,
      Duration timeout,
      Optional<Duration> idleTimeout,
      List<HeaderMutations> headerMutations,
      UpstreamPolicy upstreamPolicy,
      RouteFilters filters,
      List<HashPolicy> hashPolicies,
      List<MirrorPolicy> mirrors)
      implements RouteDecision {}

  /**
   * {@code direct_response}: answer locally; apply the response mutations to the answer.
   *
   * @param filters the HTTP filters to run before answering (as in Envoy, RBAC guards it too)
   */
  record Respond(
      String routeName,
      String virtualHostName,
      int status,
      Optional<String> body,
      List<HeaderMutations> headerMutations,
      RouteFilters filters)
      implements RouteDecision {}

  /**
   * {@code redirect}: answer {@code status} with this {@code location}.
   *
   * @param filters the HTTP filters to run before answering
   */
  record Redirect(
      String routeName,
      String virtualHostName,
      int status,
      String location,
      List<HeaderMutations> headerMutations,
      RouteFilters filters)
      implements RouteDecision {}
}
